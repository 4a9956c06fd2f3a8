import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { describe, test } from 'node:test'
import { TransportError } from '../../src/transport/errors.js'
import { tcpConnector } from '../../src/transport/tcp-node.js'
import { fillUntilBlocked, recorder, settle, TestServer } from './harness.js'

async function echoServer(): Promise<TestServer> {
  return new TestServer(createServer(), { echo: true }).listen(0, '127.0.0.1')
}

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = await new TestServer(createServer(), { echo: false }).listen(0, '127.0.0.1')
  const port = server.port
  await server.close()
  return port
}

describe('tcpConnector', () => {
  test('[MQTT-4.2.0-1] [3.1.1: MQTT-7.1.2-1] echoes bytes and reports the remote address', async () => {
    const server = await echoServer()
    const rec = recorder()
    const transport = await tcpConnector({ host: '127.0.0.1', port: server.port })(rec)
    assert.equal(transport.remoteAddress, '127.0.0.1')
    assert.equal(transport.write(new Uint8Array([1, 2, 3])), true)
    assert.equal(transport.write(new TextEncoder().encode('hello')), true)
    const bytes = await rec.received(8)
    assert.deepEqual([...bytes], [1, 2, 3, ...new TextEncoder().encode('hello')])
    assert.ok(rec.chunks.every((chunk) => chunk instanceof Uint8Array))
    transport.destroy()
    await rec.closed
    await server.close()
  })

  test('end() flushes, sends FIN, and closes once without error', async () => {
    const server = await new TestServer(createServer(), { echo: false }).listen(0, '127.0.0.1')
    const rec = recorder()
    const transport = await tcpConnector({ host: '127.0.0.1', port: server.port })(rec)
    const peer = await server.nextSocket()
    const received: Buffer[] = []
    peer.on('data', (chunk: Buffer) => received.push(chunk))
    transport.write(new Uint8Array(100_000).fill(7))
    transport.end()
    await once(peer, 'end')
    assert.equal(Buffer.concat(received).length, 100_000)
    peer.end()
    assert.equal(await rec.closed, undefined)
    await settle()
    assert.equal(rec.closes.length, 1)
    await server.close()
  })

  test('a peer FIN closes the transport once, without error', async () => {
    const server = await new TestServer(createServer(), { echo: false }).listen(0, '127.0.0.1')
    const rec = recorder()
    await tcpConnector({ host: '127.0.0.1', port: server.port })(rec)
    const peer = await server.nextSocket()
    peer.end()
    assert.equal(await rec.closed, undefined)
    await settle()
    assert.equal(rec.closes.length, 1)
    await server.close()
  })

  test('a peer reset closes the transport once with ERR_CONNECTION_LOST', async () => {
    const server = await new TestServer(createServer(), { echo: false }).listen(0, '127.0.0.1')
    const rec = recorder()
    await tcpConnector({ host: '127.0.0.1', port: server.port })(rec)
    const peer = await server.nextSocket()
    peer.resetAndDestroy()
    const error = await rec.closed
    assert.ok(error instanceof TransportError)
    assert.equal(error.code, 'ERR_CONNECTION_LOST')
    await settle()
    assert.equal(rec.closes.length, 1)
    await server.close()
  })

  test('destroy() closes once; destroy(error) reports that error; writes after close return false', async () => {
    const server = await echoServer()
    const plain = recorder()
    const first = await tcpConnector({ host: '127.0.0.1', port: server.port })(plain)
    first.destroy()
    first.destroy()
    assert.equal(await plain.closed, undefined)
    assert.equal(first.write(new Uint8Array([1])), false)

    const failing = recorder()
    const second = await tcpConnector({ host: '127.0.0.1', port: server.port })(failing)
    const reason = new Error('keepalive timeout')
    second.destroy(reason)
    assert.equal(await failing.closed, reason)
    await settle()
    assert.equal(plain.closes.length, 1)
    assert.equal(failing.closes.length, 1)
    await server.close()
  })

  test('write() returns false past the high-water mark and onDrain follows when the peer reads', async () => {
    const server = await new TestServer(createServer({ pauseOnConnect: true }), { echo: false }).listen(0, '127.0.0.1')
    const rec = recorder()
    const transport = await tcpConnector({ host: '127.0.0.1', port: server.port })(rec)
    const peer = await server.nextSocket()
    const written = fillUntilBlocked(transport)
    assert.equal(rec.drains, 0)
    let read = 0
    peer.on('data', (chunk: Buffer) => {
      read += chunk.length
    })
    peer.resume()
    while (rec.drains === 0) await settle()
    assert.ok(read > 0 && read <= written)
    transport.destroy()
    await rec.closed
    await server.close()
  })

  test('a refused port rejects with ERR_CONNECT', async () => {
    const port = await closedPort()
    const rec = recorder()
    await assert.rejects(tcpConnector({ host: '127.0.0.1', port })(rec), (error: unknown) => {
      assert.ok(error instanceof TransportError)
      assert.equal(error.code, 'ERR_CONNECT')
      assert.ok(error.cause instanceof Error)
      return true
    })
    assert.equal(rec.closes.length, 0)
  })

  test('an aborted signal rejects with ERR_ABORTED, before or during connect, leaving no connection', async () => {
    const server = await echoServer()
    const connector = tcpConnector({ host: '127.0.0.1', port: server.port })
    const rec = recorder()
    await assert.rejects(connector(rec, AbortSignal.abort()), { code: 'ERR_ABORTED' })

    const controller = new AbortController()
    const pending = connector(rec, controller.signal)
    controller.abort(new Error('user gave up'))
    await assert.rejects(pending, { code: 'ERR_ABORTED' })
    await settle()
    assert.equal(server.sockets.size, 0)
    assert.equal(rec.closes.length, 0)
    await server.close()
  })

  test('binds to localAddress', async () => {
    const server = await echoServer()
    const rec = recorder()
    const transport = await tcpConnector({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.1' })(rec)
    const peer = await server.nextSocket()
    assert.equal(peer.remoteAddress, '127.0.0.1')
    transport.destroy()
    await rec.closed
    await server.close()
  })

  test('connects to an IPv6 literal', async (t) => {
    const server = new TestServer(createServer(), { echo: true })
    try {
      await server.listen(0, '::1')
    } catch {
      t.skip('no IPv6 loopback on this machine')
      return
    }
    const rec = recorder()
    const transport = await tcpConnector({ host: '::1', port: server.port, family: 6 })(rec)
    assert.equal(transport.remoteAddress, '::1')
    transport.write(new Uint8Array([42]))
    assert.deepEqual([...(await rec.received(1))], [42])
    transport.destroy()
    await rec.closed
    await server.close()
  })
})
