// The Client against a scripted server: exact CONNACK handling, refusals, timeouts, backoff, resubscribe,
// version fallback, and every promise settling on close().
import assert from 'node:assert/strict'
import { describe, type TestContext, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Client, type ClientOptions, createClient, type MqttError } from '../../src/index.js'
import { type FakeServer, startFakeServer } from './fake-server.js'

async function setup(t: TestContext, options: ClientOptions = {}): Promise<{ server: FakeServer; client: Client }> {
  const server = await startFakeServer()
  const client = createClient(server.url, { clientId: 'fake-test', ...options })
  t.after(async () => {
    await client.close()
    await server.close()
  })
  return { server, client }
}

const hasCode = (code: string, reasonCode?: number) => (error: MqttError) => {
  assert.equal(error.code, code)
  if (reasonCode !== undefined) assert.equal(error.reasonCode, reasonCode)
  return true
}

describe('client against a scripted server', () => {
  test('connect - MQTT 5 CONNACK properties reach the promise and the connect event', async (t) => {
    const { server, client } = await setup(t)
    const events: unknown[] = []
    client.on('connect', (event) => events.push(event))
    const connecting = client.connect()
    const connection = await server.nextConnection()
    const connect = await connection.accept({ properties: { receiveMaximum: 7, serverKeepAlive: 30 } })
    assert.equal(connect.protocolVersion, 5)
    assert.equal(connect.clientId, 'fake-test')
    const info = await connecting
    assert.equal(info.protocolVersion, 5)
    assert.equal(info.sessionPresent, false)
    assert.equal(info.properties?.receiveMaximum, 7)
    assert.equal(info.reconnected, false)
    assert.deepEqual(events, [info])
    assert.equal(client.state, 'connected')
  })

  test('connect - a refusal rejects with ConnectError and does not retry', async (t) => {
    const { server, client } = await setup(t, { reconnect: { minDelay: 10, jitter: 0 } })
    const connecting = client.connect()
    const connection = await server.nextConnection()
    await connection.next('connect')
    connection.send({ type: 'connack', sessionPresent: false, reasonCode: 0x86 }) // bad user name or password
    await assert.rejects(connecting, hasCode('ERR_CONNECT_REFUSED', 0x86))
    assert.equal(client.state, 'idle')
    await sleep(80)
    assert.equal(server.connections.length, 1)
  })

  test('connect - no CONNACK within connectTimeout rejects with ERR_CONNECT_TIMEOUT and closes the socket', async (t) => {
    const { server, client } = await setup(t, { connectTimeout: 150 })
    const started = Date.now()
    const connecting = client.connect()
    const connection = await server.nextConnection()
    await assert.rejects(connecting, hasCode('ERR_CONNECT_TIMEOUT'))
    assert.ok(Date.now() - started >= 140)
    await connection.whenClosed()
  })

  test('connect - the first connect retries transport failures when reconnect.initial is set', async (t) => {
    const { server, client } = await setup(t, { reconnect: { minDelay: 20, jitter: 0, initial: true } })
    const connecting = client.connect()
    ;(await server.nextConnection()).destroy()
    await (await server.nextConnection()).accept()
    const info = await connecting
    assert.equal(info.sessionPresent, false)
  })

  test('connect - version fallback reopens at once with MQTT 3.1.1 when the server refuses 5', async (t) => {
    const { server, client } = await setup(t, { reconnect: { minDelay: 5000 } })
    const reconnecting: unknown[] = []
    client.on('reconnecting', (event) => reconnecting.push(event))
    const connecting = client.connect()
    const first = await server.nextConnection()
    assert.equal((await first.next('connect')).protocolVersion, 5)
    first.sendRaw(new Uint8Array([0x20, 0x02, 0x00, 0x01])) // 3.1.1 CONNACK: unacceptable protocol version
    const second = await server.nextConnection(1000)
    assert.equal((await second.accept()).protocolVersion, 4)
    assert.equal((await connecting).protocolVersion, 4)
    assert.equal(client.protocolVersion, 4)
    assert.deepEqual(reconnecting, [])
  })

  test('reconnect - exponential backoff, resubscribe when the session is gone, queued publishes delivered', async (t) => {
    const { server, client } = await setup(t, { reconnect: { minDelay: 40, maxDelay: 1000, jitter: 0 } })
    const connecting = client.connect()
    const first = await server.nextConnection()
    await first.accept()
    await connecting
    const subscribing = client.subscribe('a/#', { qos: 1 })
    const subscribe = await first.next('subscribe')
    first.send({ type: 'suback', packetId: subscribe.packetId, reasonCodes: [1] })
    assert.deepEqual(await subscribing, [{ topic: 'a/#', qos: 1, reasonCode: 1 }])

    const delays: number[] = []
    let offline = 0
    client.on('reconnecting', (event) => delays.push(event.delay))
    client.on('offline', () => offline++)
    const dropped = Date.now()
    first.destroy()
    const second = await server.nextConnection()
    assert.ok(Date.now() - dropped >= 35, 'waited minDelay before the first attempt')
    await second.next('connect')
    const queued = client.publish('x/y', 'while offline', { qos: 1 })
    assert.equal(typeof queued.packetId, 'number')
    second.destroy() // fails before CONNACK: the next delay doubles
    const third = await server.nextConnection()
    const reconnected = new Promise((resolve) => client.once('connect', resolve))
    await third.accept({ sessionPresent: false })
    const resubscribe = await third.next('subscribe')
    assert.deepEqual(
      resubscribe.subscriptions.map((s) => [s.topic, s.qos]),
      [['a/#', 1]],
    )
    third.send({ type: 'suback', packetId: resubscribe.packetId, reasonCodes: [1] })
    const publish = await third.next('publish')
    assert.equal(publish.topic, 'x/y')
    assert.equal(new TextDecoder().decode(publish.payload), 'while offline')
    assert.equal(publish.packetId, queued.packetId)
    third.send({ type: 'puback', packetId: publish.packetId as number, reasonCode: 0 })
    assert.equal((await queued).packetId, queued.packetId)
    assert.equal(((await reconnected) as { reconnected: boolean }).reconnected, true)
    assert.deepEqual(delays, [40, 80])
    assert.equal(offline, 1)
  })

  test('reconnect - a fatal refusal while reconnecting stops for good and closes the client', async (t) => {
    const { server, client } = await setup(t, { reconnect: { minDelay: 10, jitter: 0 } })
    const connecting = client.connect()
    const first = await server.nextConnection()
    await first.accept()
    await connecting
    const pending = client.publish('p/q', 'x', { qos: 1 })
    await first.next('publish')
    const closed = new Promise<{ error?: MqttError }>((resolve) => client.once('close', resolve))
    const errors: MqttError[] = []
    client.on('error', (error) => errors.push(error))
    first.destroy()
    const second = await server.nextConnection()
    await second.next('connect')
    second.send({ type: 'connack', sessionPresent: false, reasonCode: 0x87 }) // not authorized
    const { error } = await closed
    assert.equal(error?.code, 'ERR_CONNECT_REFUSED')
    assert.equal(error?.reasonCode, 0x87)
    assert.equal(errors[0]?.code, 'ERR_CONNECT_REFUSED')
    await assert.rejects(pending.promise, hasCode('ERR_CLOSED'))
    assert.equal(client.state, 'closed')
    await sleep(60)
    assert.equal(server.connections.length, 2)
  })

  test('server DISCONNECT - reported with its reason code, then the client reconnects', async (t) => {
    const { server, client } = await setup(t, { reconnect: { minDelay: 10, jitter: 0 } })
    const connecting = client.connect()
    const first = await server.nextConnection()
    await first.accept()
    await connecting
    const disconnected = new Promise<{ reasonCode: number; fromServer: boolean }>((resolve) =>
      client.once('disconnect', resolve),
    )
    first.send({ type: 'disconnect', reasonCode: 0x8b }) // server shutting down
    assert.deepEqual(await disconnected, { reasonCode: 0x8b, fromServer: true, properties: undefined })
    await (await server.nextConnection()).accept()
    await new Promise((resolve) => client.once('connect', resolve))
  })

  test('disconnect - sends DISCONNECT with the reason code and resolves once the socket is closed', async (t) => {
    const { server, client } = await setup(t)
    const connecting = client.connect()
    const connection = await server.nextConnection()
    await connection.accept()
    await connecting
    await client.disconnect({ reasonCode: 0x04 })
    const disconnect = await connection.next('disconnect')
    assert.equal(disconnect.reasonCode, 0x04)
    await connection.whenClosed()
    assert.equal(client.state, 'closed')
    await assert.rejects(client.publish('a', 'b').promise, hasCode('ERR_CLOSED'))
  })

  test('close - every pending promise settles with ERR_CLOSED and iterators end', async (t) => {
    const { server, client } = await setup(t)
    const connecting = client.connect()
    const connection = await server.nextConnection()
    await connection.accept()
    await connecting
    const publish1 = client.publish('t', 'one', { qos: 1 })
    const publish2 = client.publish('t', 'two', { qos: 2 })
    const subscribing = client.subscribe('s/#')
    const unsubscribing = client.unsubscribe('u/#')
    const iterator = client.messages()
    const next = iterator.next()
    await connection.next('unsubscribe')
    await client.close()
    await assert.rejects(publish1.promise, hasCode('ERR_CLOSED'))
    await assert.rejects(publish2.promise, hasCode('ERR_CLOSED'))
    await assert.rejects(subscribing, hasCode('ERR_CLOSED'))
    await assert.rejects(unsubscribing, hasCode('ERR_CLOSED'))
    assert.deepEqual(await next, { value: undefined, done: true })
    await connection.whenClosed()
  })

  test('close - a connect() still waiting for CONNACK rejects with ERR_CLOSED', async (t) => {
    const { server, client } = await setup(t)
    const connecting = client.connect()
    await (await server.nextConnection()).next('connect')
    await client.close()
    await assert.rejects(connecting, hasCode('ERR_CLOSED'))
  })

  test('publish - never throws: bad input rejects the handle', async (t) => {
    const { client } = await setup(t)
    const badPayload = client.publish('a/b', {} as unknown as string)
    assert.equal(badPayload.status, 'failed')
    await assert.rejects(badPayload.promise, hasCode('ERR_INVALID_ARGUMENT'))
    await assert.rejects(client.publish('a/+', 'x').promise, (error: MqttError) => typeof error.code === 'string')
    await client.close()
    await assert.rejects(client.publish('a/b', 'x', { qos: 1 }).promise, hasCode('ERR_CLOSED'))
  })

  test('keepalive - an unanswered PINGREQ counts as a lost connection and the client reconnects', async (t) => {
    const { server, client } = await setup(t, {
      keepalive: 1,
      responseTimeout: 200,
      reconnect: { minDelay: 10, jitter: 0 },
    })
    const connecting = client.connect()
    const first = await server.nextConnection()
    await first.accept()
    await connecting
    const offline = new Promise<{ error?: MqttError }>((resolve) => client.once('offline', resolve))
    await first.next('pingreq', 3000)
    const { error } = await offline
    assert.equal(error?.code, 'ERR_KEEPALIVE_TIMEOUT')
    await (await server.nextConnection()).accept()
    await new Promise((resolve) => client.once('connect', resolve))
  })

  test('logging - the log event and the logger option get lifecycle entries; asyncDispose closes', async (t) => {
    const lines: unknown[][] = []
    const { server, client } = await setup(t, { logger: { info: (...args: unknown[]) => lines.push(args) } })
    const levels = new Set<string>()
    client.on('log', (entry) => levels.add(entry.level))
    const connecting = client.connect()
    await (await server.nextConnection()).accept()
    await connecting
    assert.ok(levels.has('debug') && levels.has('info'))
    assert.ok(lines.some((args) => String(args[0]).includes('connected')))
    await client[Symbol.asyncDispose]()
    assert.equal(client.state, 'closed')
  })
})
