import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { connect as connectTcp } from 'node:net'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import mqtt from 'mqtt'
import { startBroker } from '../../src/broker/index.js'
import { loadOptional } from '../../src/transport/optional.js'
import { echo, nextMessage, portOpen } from '../support/mqtt-js.js'

const HELLO: [topic: string, payload: string] = ['petrel/test', 'hello over the broker']

describe('embedded broker', () => {
  test('publishes and subscribes over TCP and WebSocket, then closes both ports', async () => {
    const broker = await startBroker({ port: 0, wsPort: 0 })
    assert.ok(broker.port > 0)
    assert.ok(broker.wsPort !== undefined && broker.wsPort > 0)
    assert.equal(broker.url, `mqtt://127.0.0.1:${broker.port}`)
    assert.equal(broker.wsUrl, `ws://127.0.0.1:${broker.wsPort}/mqtt`)

    assert.deepEqual(await echo(broker.url, ...HELLO, { protocolVersion: 4 }), HELLO)
    assert.deepEqual(await echo(broker.wsUrl!, ...HELLO, { protocolVersion: 4 }), HELLO)

    await broker.close()
    assert.equal(await portOpen(broker.port), false)
    assert.equal(await portOpen(broker.wsPort!), false)
  })

  test('delivers between a TCP client and a WebSocket client, and logs connections', async () => {
    const logged: string[] = []
    const logger = { debug: (message: string) => logged.push(message), info: (message: string) => logged.push(message) }
    const broker = await startBroker({ port: 0, wsPort: 0, logger })
    const tcp = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 })
    const ws = await mqtt.connectAsync(broker.wsUrl!, { protocolVersion: 4, reconnectPeriod: 0 })
    await ws.subscribeAsync('cross/#')
    const received = nextMessage(ws)
    await tcp.publishAsync('cross/1', 'from tcp')
    assert.deepEqual(await received, ['cross/1', 'from tcp'])
    await Promise.all([tcp.endAsync(), ws.endAsync()])
    await broker.close()
    assert.equal(logged.filter((line) => line.startsWith('client connected')).length, 2)
  })

  test('close() ends connected clients and connections that never sent CONNECT', async () => {
    const broker = await startBroker({ port: 0 })
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 })
    const silent = connectTcp({ host: '127.0.0.1', port: broker.port })
    await once(silent, 'connect')
    const clientClosed = new Promise<void>((resolve) => client.once('close', () => resolve()))
    const silentClosed = once(silent, 'close')
    await broker.close()
    await Promise.all([clientClosed, silentClosed])
    assert.equal(broker.aedes.connectedClients, 0)
    await broker.close()
    client.end(true)
  })

  test('a port in use rejects with ERR_LISTEN', async () => {
    const first = await startBroker({ port: 0 })
    await assert.rejects(startBroker({ port: first.port }), { code: 'ERR_LISTEN' })
    await first.close()
  })

  test('a process that starts, uses and closes a broker exits on its own', async () => {
    const script = fileURLToPath(new URL('./exit-check.ts', import.meta.url))
    const run = promisify(execFile)
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { timeout: 15_000 })
    assert.equal(stdout.trim(), 'closed')
  })

  test('a missing optional package becomes ERR_MISSING_DEPENDENCY', async () => {
    const name: string = 'petrel-package-that-does-not-exist'
    await assert.rejects(
      loadOptional(name, 'the test', () => import(name)),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'ERR_MISSING_DEPENDENCY')
        assert.ok(error.cause instanceof Error)
        return true
      },
    )
  })
})
