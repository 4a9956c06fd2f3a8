// The `servers` failover list against real local brokers (the embedded broker, dead ports) and scripted
// servers: the next server at once after a failed attempt, backoff only after a whole round, and reconnects
// that start from the server that worked.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { describe, type TestContext, test } from 'node:test'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import {
  type Client,
  type ClientEvents,
  type ClientOptions,
  connect,
  createClient,
  type MqttError,
} from '../../src/index.js'
import { startFakeServer } from './fake-server.js'

/** A port on which nothing listens (bound, then released). */
async function deadUrl(): Promise<string> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return `mqtt://127.0.0.1:${port}`
}

async function broker(t: TestContext): Promise<EmbeddedBroker> {
  const started = await startBroker({ port: 0 })
  t.after(() => started.close())
  return started
}

function track(t: TestContext, client: Client): Client {
  t.after(() => client.close())
  return client
}

function nextEvent<K extends keyof ClientEvents>(client: Client, event: K): Promise<ClientEvents[K]> {
  return new Promise((resolve) => client.once(event, resolve))
}

const quick: ClientOptions = { clientId: 'failover-test', reconnect: { minDelay: 20, maxDelay: 20, jitter: 0 } }

describe('servers: the failover list', () => {
  test('the first server is dead: connects to the second, at once', async (t) => {
    const live = await broker(t)
    const started = Date.now()
    const client = track(t, await connect({ ...quick, servers: [await deadUrl(), live.url] }))
    assert.equal(client.state, 'connected')
    assert.equal(live.aedes.connectedClients, 1)
    assert.ok(Date.now() - started < 1000, 'no backoff between the servers of one round')
  })

  test('a URL argument comes first, then the servers; per-server options are accepted', async (t) => {
    const live = await broker(t)
    const client = track(t, await connect(await deadUrl(), { ...quick, servers: [{ url: live.url, proxy: false }] }))
    assert.equal(live.aedes.connectedClients, 1)
    assert.equal(client.connected, true)
  })

  test('every server dead: the first connect rejects after one round with the last error', async (t) => {
    const urls = [await deadUrl(), await deadUrl(), await deadUrl()]
    const client = track(t, createClient({ ...quick, servers: urls }))
    const tried: string[] = []
    client.on('log', (entry) => {
      if (entry.message.startsWith('trying ')) tried.push(entry.message.slice(7))
    })
    await assert.rejects(client.connect(), (error: MqttError) => error.code === 'ERR_CONNECT')
    assert.deepEqual(tried, urls.slice(1))
    assert.equal(client.state, 'idle')
  })

  test('the connected server goes away: reconnects to another', async (t) => {
    const first = await startBroker({ port: 0 })
    t.after(() => first.close())
    const second = await broker(t)
    const client = track(t, await connect({ ...quick, servers: [first.url, second.url] }))
    assert.equal(first.aedes.connectedClients, 1)
    const reconnected = nextEvent(client, 'connect')
    await first.close()
    const event = await reconnected
    assert.equal(event.reconnected, true)
    assert.equal(second.aedes.connectedClients, 1)
    // and it works there
    await client.subscribe('failover/t', { qos: 1 })
    const message = nextEvent(client, 'message')
    await client.publish('failover/t', 'here', { qos: 1 })
    assert.equal(new TextDecoder().decode((await message).payload), 'here')
  })

  test('a non-fatal refusal (0x88 server unavailable, 0x89 busy) moves on to the next server', async (t) => {
    const a = await startFakeServer()
    const b = await startFakeServer()
    const c = await startFakeServer()
    t.after(() => Promise.all([a.close(), b.close(), c.close()]))
    const client = track(t, createClient({ ...quick, servers: [a.url, b.url, c.url] }))
    const connecting = client.connect()
    for (const [server, reasonCode] of [
      [a, 0x88],
      [b, 0x89],
    ] as const) {
      const connection = await server.nextConnection()
      await connection.next('connect')
      connection.send({ type: 'connack', sessionPresent: false, reasonCode })
    }
    await (await c.nextConnection()).accept()
    await connecting
    assert.equal(client.connected, true)
  })

  test('backoff applies after a whole round; a reconnect starts from the server that worked', async (t) => {
    const a = await startFakeServer()
    const b = await startFakeServer()
    t.after(() => Promise.all([a.close(), b.close()]))
    const client = track(
      t,
      createClient({ ...quick, reconnect: { minDelay: 50, jitter: 0, initial: true }, servers: [a.url, b.url] }),
    )
    const delays: number[] = []
    client.on('reconnecting', (event) => delays.push(event.delay))
    const connecting = client.connect()
    for (const server of [a, b]) {
      const connection = await server.nextConnection()
      await connection.next('connect')
      connection.send({ type: 'connack', sessionPresent: false, reasonCode: 0x88 })
    }
    // Round two: a refuses again, b accepts.
    const refusing = await a.nextConnection()
    assert.deepEqual(delays, [50], 'one backoff, after the round, not between a and b')
    await refusing.next('connect')
    refusing.send({ type: 'connack', sessionPresent: false, reasonCode: 0x88 })
    const accepted = await b.nextConnection()
    await accepted.accept()
    await connecting
    // b drops us: the next attempt goes back to b, not to a.
    accepted.destroy()
    const again = await b.nextConnection()
    await again.accept()
    await nextEvent(client, 'connect')
    assert.equal(a.connections.length, 2)
    assert.equal(b.connections.length, 3)
  })

  test('servers and a custom transport together are an invalid argument', () => {
    assert.throws(
      () => createClient({ servers: ['mqtt://a'], transport: () => Promise.reject(new Error('unused')) }),
      (error: MqttError) => error.code === 'ERR_INVALID_ARGUMENT',
    )
  })

  test('server URLs with different credentials are an invalid argument', () => {
    assert.throws(
      () => createClient('mqtt://u:p@a', { servers: ['mqtt://v:p@b'] }),
      (error: MqttError) => error.code === 'ERR_INVALID_ARGUMENT',
    )
    const client = createClient('mqtt://u:p@a', { servers: ['mqtt://b', 'mqtt://u:p@c'] })
    assert.equal(client.options.username, 'u')
  })
})
