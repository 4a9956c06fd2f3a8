// The Client against the embedded broker (Aedes speaks MQTT 3.1.1): round trips at every QoS, held
// messages, per-topic handlers, the messages() iterator.
import assert from 'node:assert/strict'
import { after, before, describe, type TestContext, test } from 'node:test'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import { type Client, type ClientOptions, connect, type Message } from '../../src/index.js'

const text = (message: Message) => new TextDecoder().decode(message.payload)

let broker: EmbeddedBroker
let sequence = 0

async function open(t: TestContext, options: ClientOptions = {}): Promise<Client> {
  const client = await connect(broker.url, { protocolVersion: 4, clientId: `broker-test-${++sequence}`, ...options })
  t.after(() => client.close())
  return client
}

/** Resolves after `count` messages reached `client` (through whatever consumer calls `push`). */
function collector(count: number) {
  const messages: Message[] = []
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    done = resolve
  })
  return {
    messages,
    finished,
    push(message: Message) {
      messages.push(message)
      if (messages.length === count) done()
    },
  }
}

/** A round trip through the broker: once it returns, everything published before it was routed. */
async function barrier(client: Client): Promise<void> {
  await client.publish('barrier/none', '', { qos: 1 })
}

describe('client against the embedded broker', () => {
  before(async () => {
    broker = await startBroker({ port: 0 })
  })
  after(() => broker.close())

  test('round trip - QoS 0, 1 and 2 with the packet id known at once', async (t) => {
    const client = await open(t)
    const got = collector(3)
    client.on('message', got.push)
    const granted = await client.subscribe('rt/#', { qos: 2 })
    assert.deepEqual(granted, [{ topic: 'rt/#', qos: 2, reasonCode: 2 }])
    const handles = ([0, 1, 2] as const).map((qos) => client.publish(`rt/${qos}`, `payload ${qos}`, { qos }))
    assert.equal(handles[0]?.packetId, undefined)
    assert.equal(typeof handles[1]?.packetId, 'number')
    assert.equal(typeof handles[2]?.packetId, 'number')
    assert.notEqual(handles[1]?.packetId, handles[2]?.packetId)
    const results = await Promise.all(handles)
    assert.deepEqual(
      results.map((r) => [r.qos, r.packetId]),
      handles.map((h) => [h.qos, h.packetId]),
    )
    await got.finished
    assert.deepEqual(got.messages.map((m) => [m.topic, text(m), m.qos]).sort(), [
      ['rt/0', 'payload 0', 0],
      ['rt/1', 'payload 1', 1],
      ['rt/2', 'payload 2', 2],
    ])
    assert.deepEqual(await client.unsubscribe('rt/#'), [{ topic: 'rt/#', reasonCode: 0 }])
  })

  test('payloads - strings, bytes, ArrayBuffer, numbers and null', async (t) => {
    const client = await open(t)
    const got = collector(5)
    client.on('message', got.push)
    await client.subscribe('pl/#')
    client.publish('pl/1', 'text')
    client.publish('pl/2', new Uint8Array([1, 2, 3]))
    client.publish('pl/3', new Uint8Array([4, 5]).buffer)
    client.publish('pl/4', 42.5)
    client.publish('pl/5', null)
    await got.finished
    const byTopic = new Map(got.messages.map((m) => [m.topic, [...m.payload]]))
    assert.deepEqual(byTopic.get('pl/1'), [...new TextEncoder().encode('text')])
    assert.deepEqual(byTopic.get('pl/2'), [1, 2, 3])
    assert.deepEqual(byTopic.get('pl/3'), [4, 5])
    assert.deepEqual(byTopic.get('pl/4'), [...new TextEncoder().encode('42.5')])
    assert.deepEqual(byTopic.get('pl/5'), [])
  })

  test('held messages - those arriving before any listener go to the first one attached', async (t) => {
    const publisher = await open(t)
    await publisher.publish('held/a', 'first', { qos: 1, retain: true })
    await publisher.publish('held/b', 'second', { qos: 1, retain: true })
    const client = await open(t)
    await client.subscribe('held/#', { qos: 1 }) // the retained messages follow the SUBACK
    await barrier(client)
    const got = collector(2)
    client.on('message', got.push)
    assert.equal(got.messages.length, 0, 'held messages are handed over on a microtask, not inside on()')
    await got.finished
    assert.deepEqual(got.messages.map((m) => [m.topic, text(m), m.retain]).sort(), [
      ['held/a', 'first', true],
      ['held/b', 'second', true],
    ])
    await publisher.publish('held/a', null, { qos: 1, retain: true })
    await publisher.publish('held/b', null, { qos: 1, retain: true })
  })

  test('per-topic handlers - matching messages go to the handler, the rest to message listeners', async (t) => {
    const client = await open(t)
    const handled = collector(2)
    const unhandled = collector(1)
    client.messageCallbackAdd('cb/sensors/+', handled.push)
    client.on('message', unhandled.push)
    await client.subscribe('cb/#')
    client.publish('cb/sensors/1', 'a')
    client.publish('cb/other', 'b')
    client.publish('cb/sensors/2', 'c')
    await Promise.all([handled.finished, unhandled.finished])
    assert.deepEqual(handled.messages.map((m) => m.topic).sort(), ['cb/sensors/1', 'cb/sensors/2'])
    assert.deepEqual(
      unhandled.messages.map((m) => m.topic),
      ['cb/other'],
    )
    client.messageCallbackRemove('cb/sensors/+')
    const after = collector(2)
    client.off('message', unhandled.push)
    client.on('message', after.push)
    client.publish('cb/sensors/3', 'd')
    client.publish('cb/other', 'e')
    await after.finished
    assert.deepEqual(after.messages.map((m) => m.topic).sort(), ['cb/other', 'cb/sensors/3'])
  })

  test('messages() - filtered iteration, drop-oldest overflow with a discarded count, break detaches', async (t) => {
    const client = await open(t)
    await client.subscribe('it/#', { qos: 1 })
    const iterator = client.messages('it/keep/#', { bufferSize: 2, overflow: 'drop-oldest' })
    for (let i = 1; i <= 4; i++) await client.publish(`it/keep/${i}`, String(i), { qos: 1 })
    await client.publish('it/skip', 'x', { qos: 1 })
    await barrier(client)
    assert.equal(iterator.discarded, 2)
    const seen: string[] = []
    for await (const message of iterator) {
      seen.push(message.topic)
      if (seen.length === 2) break
    }
    assert.deepEqual(seen, ['it/keep/3', 'it/keep/4'])
    assert.equal(iterator.ended, true)
    // Detached: later messages are neither buffered nor counted.
    await client.publish('it/keep/5', '5', { qos: 1 })
    await barrier(client)
    assert.equal(iterator.discarded, 2)
    assert.equal(iterator.buffered, 0)
  })

  test('messages() - drop-newest keeps the first messages', async (t) => {
    const client = await open(t)
    await client.subscribe('dn/#', { qos: 1 })
    const iterator = client.messages(undefined, { bufferSize: 2, overflow: 'drop-newest' })
    for (let i = 1; i <= 3; i++) await client.publish(`dn/${i}`, '', { qos: 1 })
    await barrier(client)
    const first = await iterator.next()
    const second = await iterator.next()
    assert.deepEqual([first.value?.topic, second.value?.topic], ['dn/1', 'dn/2'])
    assert.ok(iterator.discarded >= 1)
    await client.close()
    assert.deepEqual(await iterator.next(), { value: undefined, done: true })
  })

  test('manualAck - message.ack() exists only with manualAck and sends the PUBACK', async (t) => {
    const client = await open(t, { manualAck: true })
    await client.subscribe('ma/#', { qos: 1 })
    const got = collector(1)
    client.on('message', got.push)
    await client.publish('ma/1', 'x', { qos: 1 })
    await got.finished
    const message = got.messages[0] as Message
    assert.equal(typeof message.ack, 'function')
    message.ack?.()
    await barrier(client)
  })

  test('error events without a listener go to the logger instead of crashing', async (t) => {
    const logged: unknown[][] = []
    const logger = { error: (...args: unknown[]) => logged.push(args) }
    const client = await open(t, { logger })
    client.on('message', () => {
      throw new Error('listener bug')
    })
    await client.subscribe('err/#', { qos: 1 })
    await client.publish('err/1', 'x', { qos: 1 })
    await barrier(client)
    assert.ok(logged.some((args) => String(args[0]).includes('listener bug')))
  })
})
