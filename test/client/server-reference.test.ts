// MQTT 5 Server Reference: 0x9C Use another server / 0x9D Server moved, in a CONNACK or a DISCONNECT, followed
// only with followServerReference, against scripted servers speaking raw MQTT 5.
import assert from 'node:assert/strict'
import { describe, type TestContext, test } from 'node:test'
import { parseServerReference } from '../../src/client/server-reference.js'
import { type Client, type ClientEvents, type ClientOptions, createClient, type MqttError } from '../../src/index.js'
import { type FakeServer, startFakeServer } from './fake-server.js'

async function servers(t: TestContext, count: number): Promise<FakeServer[]> {
  const started = await Promise.all(Array.from({ length: count }, () => startFakeServer()))
  t.after(() => Promise.all(started.map((server) => server.close())))
  return started
}

/** The next connection to `server` gets a CONNACK refusing with `reasonCode` and the reference. */
async function refer(server: FakeServer, reasonCode: number, serverReference: string): Promise<void> {
  const connection = await server.nextConnection()
  await connection.next('connect')
  connection.send({ type: 'connack', sessionPresent: false, reasonCode, properties: { serverReference } })
}

function nextEvent<K extends keyof ClientEvents>(client: Client, event: K): Promise<ClientEvents[K]> {
  return new Promise((resolve) => client.once(event, resolve))
}

const base: ClientOptions = { clientId: 'reference-test', reconnect: { minDelay: 20, jitter: 0 } }

describe('Server Reference format', () => {
  test('space-separated host[:port] entries, IPv6 in brackets; unreadable ones skipped', () => {
    assert.deepEqual(parseServerReference('myserver.xyz.org  Other:8883 [FE80::9610:3eff:fe1c]:1883 [::1]'), [
      { host: 'myserver.xyz.org' },
      { host: 'other', port: 8883 },
      { host: 'fe80::9610:3eff:fe1c', port: 1883 },
      { host: '::1' },
    ])
    assert.deepEqual(parseServerReference('a:0 b:70000 fe80::1 mqtt://c d:x e/f'), [])
    assert.deepEqual(parseServerReference(''), [])
  })
})

describe('following a Server Reference', () => {
  test('CONNACK 0x9C Use another server: connects where it points, with the same CONNECT', async (t) => {
    const [a, b] = (await servers(t, 2)) as [FakeServer, FakeServer]
    const client = createClient(a.url, { ...base, followServerReference: true, username: 'me' })
    t.after(() => client.close())
    const connecting = client.connect()
    await refer(a, 0x9c, `127.0.0.1:${b.port}`)
    const connect = await (await b.nextConnection()).accept()
    assert.equal(connect.clientId, 'reference-test')
    assert.equal(connect.username, 'me')
    assert.equal((await connecting).reconnected, false)
  })

  test('alternatives are tried in order: the first is dead, the second answers', async (t) => {
    const [a, b] = (await servers(t, 2)) as [FakeServer, FakeServer]
    const gone = await startFakeServer()
    await gone.close()
    const client = createClient(a.url, { ...base, followServerReference: true })
    t.after(() => client.close())
    const connecting = client.connect()
    await refer(a, 0x9d, `127.0.0.1:${gone.port} 127.0.0.1:${b.port}`)
    await (await b.nextConnection()).accept()
    await connecting
    assert.equal(client.connected, true)
  })

  test('not followed by default: the refusal stands', async (t) => {
    const [a, b] = (await servers(t, 2)) as [FakeServer, FakeServer]
    const client = createClient(a.url, base)
    t.after(() => client.close())
    const connecting = client.connect()
    await refer(a, 0x9c, `127.0.0.1:${b.port}`)
    await assert.rejects(
      connecting,
      (error: MqttError) => error.code === 'ERR_CONNECT_REFUSED' && error.reasonCode === 0x9c,
    )
    assert.equal(b.connections.length, 0)
  })

  test('DISCONNECT 0x9D Server moved: the reconnect goes to the new server', async (t) => {
    const [a, b] = (await servers(t, 2)) as [FakeServer, FakeServer]
    const client = createClient(a.url, { ...base, followServerReference: true })
    t.after(() => client.close())
    const connecting = client.connect()
    const first = await a.nextConnection()
    await first.accept()
    await connecting
    first.send({ type: 'disconnect', reasonCode: 0x9d, properties: { serverReference: `127.0.0.1:${b.port}` } })
    await (await b.nextConnection()).accept()
    const event = await nextEvent(client, 'connect')
    assert.equal(event.reconnected, true)
    assert.equal(a.connections.length, 1)
  })

  test('a server that keeps redirecting to itself is followed a bounded number of times', async (t) => {
    const [a] = (await servers(t, 1)) as [FakeServer]
    const client = createClient(a.url, { ...base, followServerReference: true })
    t.after(() => client.close())
    const connecting = client.connect()
    const refusing = (async () => {
      for (let i = 0; i < 6; i++) await refer(a, 0x9c, `127.0.0.1:${a.port}`)
    })()
    await assert.rejects(connecting, (error: MqttError) => error.reasonCode === 0x9c)
    await refusing
    assert.equal(a.connections.length, 6) // the first attempt and five redirects
  })
})
