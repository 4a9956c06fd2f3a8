import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { describe, test } from 'node:test'
import { WebSocket, WebSocketServer } from 'ws'
import { TransportError } from '../../src/transport/errors.js'
import type { TransportConnector } from '../../src/transport/types.js'
import { browserWebSocketConnector } from '../../src/transport/websocket-browser.js'
import { webSocketConnector } from '../../src/transport/websocket-node.js'
import { testCertificates } from '../support/certs.js'
import { recorder, settle } from './harness.js'

interface WsTestServer {
  port: number
  wss: WebSocketServer
  requests: IncomingMessage[]
  nextSocket(): Promise<WebSocket>
  close(): Promise<void>
}

/** A ws server that echoes binary frames (unless echo is false) and records upgrade requests. */
async function wsServer(options: { echo?: boolean; http?: Server } = {}): Promise<WsTestServer> {
  const server = options.http ?? createServer()
  const wss = new WebSocketServer({ server, handleProtocols: (offered) => [...offered][0] ?? false })
  const requests: IncomingMessage[] = []
  const waiting: Array<(socket: WebSocket) => void> = []
  const accepted: WebSocket[] = []
  wss.on('connection', (socket, request) => {
    requests.push(request)
    if (options.echo !== false) socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }))
    const waiter = waiting.shift()
    if (waiter === undefined) accepted.push(socket)
    else waiter(socket)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    port: address.port,
    wss,
    requests,
    nextSocket: () => {
      const socket = accepted.shift()
      return socket === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(socket)
    },
    async close() {
      for (const socket of wss.clients) socket.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

const isCode = (code: string) => (error: unknown) => {
  assert.ok(error instanceof TransportError, String(error))
  assert.equal(error.code, code)
  return true
}

/** Both connectors run the same checks: Node's `ws`, and the browser one on ws's WHATWG-style class. */
const flavours: Array<[string, (url: string) => TransportConnector]> = [
  ['node (ws)', (url) => webSocketConnector({ url })],
  [
    'browser',
    (url) => browserWebSocketConnector({ url, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket }),
  ],
]

for (const [name, make] of flavours) {
  describe(`WebSocket connector: ${name}`, () => {
    test('[MQTT-6.0.0-3] [3.1.1: MQTT-6.0.0-3] binary frames both ways, subprotocol mqtt, the URL path', async () => {
      const server = await wsServer()
      const rec = recorder()
      const transport = await make(`ws://127.0.0.1:${server.port}/mqtt?x=1`)(rec)
      assert.equal(transport.write(new Uint8Array([0x10, 0x02, 0xaa, 0xbb])), true)
      assert.deepEqual([...(await rec.received(4))], [0x10, 0x02, 0xaa, 0xbb])
      assert.ok(rec.chunks.every((chunk) => chunk instanceof Uint8Array))
      assert.equal(server.requests[0]?.url, '/mqtt?x=1')
      assert.equal(server.requests[0]?.headers['sec-websocket-protocol'], 'mqtt')
      transport.end()
      assert.equal(await rec.closed, undefined)
      await settle()
      assert.equal(rec.closes.length, 1)
      await server.close()
    })

    test('a text frame closes the connection with ERR_WEBSOCKET [MQTT-6.0.0-1] [3.1.1: MQTT-6.0.0-1]', async () => {
      const server = await wsServer({ echo: false })
      const rec = recorder()
      await make(`ws://127.0.0.1:${server.port}/`)(rec)
      ;(await server.nextSocket()).send('not mqtt')
      const error = await rec.closed
      assert.ok(error instanceof TransportError)
      assert.equal(error.code, 'ERR_WEBSOCKET')
      await settle()
      assert.equal(rec.closes.length, 1)
      await server.close()
    })

    test('a close with an error status is ERR_WEBSOCKET; a normal close is clean', async () => {
      const server = await wsServer({ echo: false })
      const rec = recorder()
      await make(`ws://127.0.0.1:${server.port}/`)(rec)
      ;(await server.nextSocket()).close(1011, 'broker trouble')
      assert.equal(((await rec.closed) as TransportError).code, 'ERR_WEBSOCKET')
      const clean = recorder()
      await make(`ws://127.0.0.1:${server.port}/`)(clean)
      ;(await server.nextSocket()).close(1000)
      assert.equal(await clean.closed, undefined)
      await server.close()
    })

    test('refused, not a WebSocket server, and aborted connects reject', async () => {
      const server = await wsServer()
      const port = server.port
      await server.close()
      await assert.rejects(make(`ws://127.0.0.1:${port}/`)(recorder()), isCode('ERR_CONNECT'))
      const plain = createServer((_request, response) => response.writeHead(404).end())
      plain.listen(0, '127.0.0.1')
      await once(plain, 'listening')
      const plainPort = (plain.address() as { port: number }).port
      await assert.rejects(make(`ws://127.0.0.1:${plainPort}/`)(recorder()), isCode('ERR_CONNECT'))
      const controller = new AbortController()
      const pending = make(`ws://127.0.0.1:${plainPort}/`)(recorder(), controller.signal)
      controller.abort()
      await assert.rejects(pending, isCode('ERR_ABORTED'))
      plain.closeAllConnections()
      await new Promise((resolve) => plain.close(resolve))
    })

    test('backpressure: write() returns false over the high-water mark, then drain comes', async () => {
      const server = await wsServer({ echo: false })
      const rec = recorder()
      const transport = await make(`ws://127.0.0.1:${server.port}/`)(rec)
      const peer = await server.nextSocket()
      // Stop reading on the server so bytes pile up in the client.
      ;(peer as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause()
      const chunk = new Uint8Array(256 * 1024)
      let writes = 0
      while (transport.write(chunk)) {
        writes++
        assert.ok(writes < 400, 'write() never returned false')
      }
      assert.equal(rec.drains, 0)
      ;(peer as unknown as { _socket: { resume(): void } })._socket.resume()
      while (rec.drains === 0) await settle()
      assert.equal(rec.drains, 1)
      transport.destroy()
      await rec.closed
      await server.close()
    })

    test('destroy(error) closes once with that error', async () => {
      const server = await wsServer()
      const rec = recorder()
      const transport = await make(`ws://127.0.0.1:${server.port}/`)(rec)
      const reason = new Error('keepalive timeout')
      transport.destroy(reason)
      assert.equal(await rec.closed, reason)
      await settle()
      assert.equal(rec.closes.length, 1)
      await server.close()
    })
  })
}

describe('WebSocket connector: node only', () => {
  test('headers: an object is merged with the defaults, a function gets the defaults', async () => {
    const server = await wsServer()
    const url = `ws://127.0.0.1:${server.port}/mqtt`
    const first = recorder()
    ;(await webSocketConnector({ url, headers: { Authorization: 'Bearer t0k' }, protocol: 'mqttv3.1' })(first)).end()
    await first.closed
    let seen: Record<string, string> | undefined
    const second = recorder()
    const headers = (defaults: Record<string, string>) => {
      seen = defaults
      return { ...defaults, 'X-Device': 'd-1' }
    }
    ;(await webSocketConnector({ url, headers })(second)).end()
    await second.closed
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer t0k')
    assert.equal(server.requests[0]?.headers['sec-websocket-protocol'], 'mqttv3.1')
    assert.deepEqual(seen, { Host: `127.0.0.1:${server.port}` })
    assert.equal(server.requests[1]?.headers['x-device'], 'd-1')
    await server.close()
  })

  test('wss:// takes the TLS options of mqtts://', async () => {
    const certs = await testCertificates()
    const https = createHttpsServer({ cert: certs.serverCert.pem, key: certs.serverKey.pem })
    const server = await wsServer({ http: https })
    const rec = recorder()
    const transport = await webSocketConnector({
      url: `wss://localhost:${server.port}/mqtt`,
      tls: { ca: certs.ca.pem },
    })(rec)
    transport.write(new Uint8Array([0xc0, 0x00]))
    assert.deepEqual([...(await rec.received(2))], [0xc0, 0x00])
    transport.end()
    await rec.closed
    await assert.rejects(
      webSocketConnector({ url: `wss://localhost:${server.port}/mqtt`, tls: { ca: certs.otherCa.pem } })(recorder()),
      isCode('ERR_TLS'),
    )
    await server.close()
  })
})
