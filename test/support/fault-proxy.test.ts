import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { settle, TestServer } from '../transport/harness.js'
import { type FaultProxy, startFaultProxy } from './fault-proxy.js'

let echo: TestServer
let silent: TestServer

before(async () => {
  echo = await new TestServer(createServer(), { echo: true }).listen(0, '127.0.0.1')
  // Half-open allowed, so direction-wise cuts can be observed.
  silent = await new TestServer(createServer({ allowHalfOpen: true }), { echo: false }).listen(0, '127.0.0.1')
})

after(async () => {
  await Promise.all([echo.close(), silent.close()])
})

async function proxyTo(server: TestServer): Promise<FaultProxy> {
  return startFaultProxy({ targetPort: server.port })
}

interface Client {
  socket: Socket
  received(): Buffer
  /** Resolves once at least n bytes have arrived. */
  waitFor(n: number): Promise<Buffer>
}

async function client(proxy: FaultProxy, allowHalfOpen = false): Promise<Client> {
  const socket = connect({ host: '127.0.0.1', port: proxy.port, allowHalfOpen })
  socket.on('error', () => {})
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  await once(socket, 'connect')
  const received = () => Buffer.concat(chunks)
  return {
    socket,
    received,
    async waitFor(n) {
      while (received().length < n) await once(socket, 'data')
      return received()
    },
  }
}

/** Resolves on 'close' (events.once would reject on an 'error' before it). */
function closeOf(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()))
}

function collect(socket: Socket): Buffer[] {
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  return chunks
}

describe('fault proxy', () => {
  test('forwards both ways and counts connections and bytes', async () => {
    const proxy = await proxyTo(echo)
    const c = await client(proxy)
    c.socket.write('hello')
    assert.equal((await c.waitFor(5)).toString(), 'hello')
    assert.equal(proxy.connections, 1)
    assert.deepEqual({ ...proxy.bytes }, { up: 5, down: 5 })
    assert.equal(proxy.url, `mqtt://127.0.0.1:${proxy.port}`)
    c.socket.end()
    await closeOf(c.socket)
    while (proxy.connections > 0) await settle()
    await proxy.close()
  })

  test('cut() sends FIN to both sides', async () => {
    const proxy = await proxyTo(silent)
    const c = await client(proxy)
    const peer = await silent.nextSocket()
    const peerEnded = once(peer, 'end')
    const clientEnded = once(c.socket, 'end')
    proxy.cut()
    await Promise.all([peerEnded, clientEnded])
    peer.end()
    await closeOf(c.socket)
    await proxy.close()
  })

  test("cut({ direction: 'down' }) ends only the client's side; bytes still flow up", async () => {
    const proxy = await proxyTo(silent)
    const c = await client(proxy, true)
    const peer = await silent.nextSocket()
    const atPeer = collect(peer)
    let peerEnded = false
    peer.on('end', () => {
      peerEnded = true
    })
    proxy.cut({ direction: 'down' })
    await once(c.socket, 'end')
    c.socket.write('still up')
    while (Buffer.concat(atPeer).length < 8) await settle()
    assert.equal(Buffer.concat(atPeer).toString(), 'still up')
    assert.equal(peerEnded, false)
    c.socket.destroy()
    await proxy.close()
  })

  test("cut({ direction: 'up' }) ends only the broker's side; bytes still flow down", async () => {
    const proxy = await proxyTo(silent)
    const c = await client(proxy)
    const peer = await silent.nextSocket()
    proxy.cut({ direction: 'up' })
    await once(peer, 'end')
    peer.write('still down')
    assert.equal((await c.waitFor(10)).toString(), 'still down')
    c.socket.destroy()
    await proxy.close()
  })

  test('reset() sends RST to both sides', async () => {
    const proxy = await proxyTo(silent)
    const c = await client(proxy)
    const peer = await silent.nextSocket()
    const peerError = once(peer, 'error')
    const clientError = new Promise<Error>((resolve) => c.socket.once('error', resolve))
    proxy.reset()
    assert.equal(((await clientError) as Error & { code?: string }).code, 'ECONNRESET')
    assert.equal(((await peerError)[0] as Error & { code?: string }).code, 'ECONNRESET')
    assert.equal(proxy.connections, 0)
    await proxy.close()
  })

  test('blackhole(true) swallows bytes both ways; blackhole(false) forwards again', async () => {
    const proxy = await proxyTo(echo)
    const c = await client(proxy)
    proxy.blackhole(true)
    c.socket.write('lost')
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(c.received().length, 0)
    assert.deepEqual({ ...proxy.bytes }, { up: 0, down: 0 })
    assert.equal(proxy.connections, 1)
    proxy.blackhole(false)
    c.socket.write('found')
    assert.equal((await c.waitFor(5)).toString(), 'found')
    c.socket.destroy()
    await proxy.close()
  })

  test('delay(ms) holds each chunk in both directions', async () => {
    const proxy = await proxyTo(echo)
    const c = await client(proxy)
    proxy.delay(80)
    const start = performance.now()
    c.socket.write('slow')
    await c.waitFor(4)
    const elapsed = performance.now() - start
    assert.ok(elapsed >= 150, `round trip took ${elapsed} ms, expected at least 2 × 80 ms`)
    c.socket.destroy()
    await proxy.close()
  })

  test('throttle(bytesPerSecond) limits the rate', async () => {
    const proxy = await proxyTo(silent)
    const c = await client(proxy)
    const peer = await silent.nextSocket()
    const atPeer = collect(peer)
    proxy.throttle(20_000)
    const start = performance.now()
    c.socket.write(Buffer.alloc(6_000, 1))
    while (Buffer.concat(atPeer).length < 6_000) await settle()
    const elapsed = performance.now() - start
    // 6,000 bytes at 20,000 B/s in 2,000-byte slices: the last slice leaves after 200 ms.
    assert.ok(elapsed >= 180, `6000 bytes took ${elapsed} ms at 20000 B/s`)
    c.socket.destroy()
    await proxy.close()
  })

  test('splitEvery(n) forwards in pieces of at most n bytes', async () => {
    const proxy = await proxyTo(silent)
    const c = await client(proxy)
    const peer = await silent.nextSocket()
    const atPeer = collect(peer)
    proxy.splitEvery(3)
    c.socket.write('0123456789')
    while (Buffer.concat(atPeer).length < 10) await settle()
    assert.equal(Buffer.concat(atPeer).toString(), '0123456789')
    assert.ok(atPeer.length >= 4)
    assert.ok(atPeer.every((chunk) => chunk.length <= 3))
    c.socket.destroy()
    await proxy.close()
  })

  test('pause() holds bytes and new connections; resume() releases them', async () => {
    const proxy = await proxyTo(echo)
    const existing = await client(proxy)
    existing.socket.write('.')
    await existing.waitFor(1)
    proxy.pause()
    existing.socket.write('held')
    const before = echo.sockets.size
    const newcomer = await client(proxy)
    newcomer.socket.write('later')
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(existing.received().toString(), '.')
    assert.equal(echo.sockets.size, before)
    assert.equal(proxy.connections, 2)
    proxy.resume()
    assert.equal((await existing.waitFor(5)).toString(), '.held')
    assert.equal((await newcomer.waitFor(5)).toString(), 'later')
    existing.socket.destroy()
    newcomer.socket.destroy()
    await proxy.close()
  })

  test('refuse(true) closes new connections at once; refuse(false) accepts again', async () => {
    const proxy = await proxyTo(echo)
    proxy.refuse(true)
    const refused = await client(proxy)
    await closeOf(refused.socket)
    assert.equal(proxy.connections, 0)
    proxy.refuse(false)
    const accepted = await client(proxy)
    accepted.socket.write('ok')
    assert.equal((await accepted.waitFor(2)).toString(), 'ok')
    accepted.socket.destroy()
    await proxy.close()
  })

  test('close() ends every connection and the listening port', async () => {
    const proxy = await proxyTo(echo)
    const first = await client(proxy)
    const second = await client(proxy)
    proxy.delay(1_000)
    first.socket.write('pending')
    const closed = Promise.all([closeOf(first.socket), closeOf(second.socket)])
    await proxy.close()
    await closed
    assert.equal(proxy.connections, 0)
    const probe = connect({ host: '127.0.0.1', port: proxy.port })
    const [error] = (await once(probe, 'error').catch((e: unknown) => [e])) as [Error & { code?: string }]
    assert.equal(error.code, 'ECONNREFUSED')
  })
})
