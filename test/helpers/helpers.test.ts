import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import * as publish from '../../src/helpers/publish.js'
import * as subscribe from '../../src/helpers/subscribe.js'
import type { Message } from '../../src/index.js'

const text = (message: Message) => new TextDecoder().decode(message.payload)

/** Resolves when some client of `broker` subscribes to `filter`. */
function subscribed(broker: EmbeddedBroker, filter: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (subscriptions: Array<{ topic: string }>) => {
      if (subscriptions.some((s) => s.topic === filter)) resolve()
    }
    broker.aedes.on('subscribe', listener as never)
  })
}

describe('one-shot helpers against the embedded broker', () => {
  let broker: EmbeddedBroker
  let where: { hostname: string; port: number }
  before(async () => {
    broker = await startBroker({ port: 0 })
    where = { hostname: '127.0.0.1', port: broker.port }
  })
  after(() => broker.close())

  test('publish.single reaches a subscribe.simple waiting for it', async () => {
    const ready = subscribed(broker, 'helpers/single')
    const waiting = subscribe.simple('helpers/single', { ...where, qos: 1 })
    await ready
    await publish.single('helpers/single', 'hello', { ...where, qos: 1 })
    const message = await waiting
    assert.equal(message.topic, 'helpers/single')
    assert.equal(text(message), 'hello')
  })

  test('publish.multiple takes objects and tuples; simple with msgCount returns a list in order', async () => {
    const ready = subscribed(broker, 'helpers/multi/#')
    const waiting = subscribe.simple('helpers/multi/#', { ...where, qos: 2, msgCount: 3 })
    await ready
    await publish.multiple(
      [
        { topic: 'helpers/multi/a', payload: 'one', qos: 1 },
        ['helpers/multi/b', 'two', 2, false],
        ['helpers/multi/c', 3],
      ],
      where,
    )
    const messages = await waiting
    assert.ok(Array.isArray(messages))
    assert.deepEqual(messages.map((m) => [m.topic, text(m)]).sort(), [
      ['helpers/multi/a', 'one'],
      ['helpers/multi/b', 'two'],
      ['helpers/multi/c', '3'],
    ])
  })

  test('retained messages are returned by default and skipped with retained: false', async () => {
    await publish.single('helpers/retained', 'kept', { ...where, retain: true, qos: 1 })
    const retained = await subscribe.simple('helpers/retained', where)
    assert.equal(retained.retain, true)
    assert.equal(text(retained), 'kept')
    const ready = subscribed(broker, 'helpers/retained')
    const waiting = subscribe.simple('helpers/retained', { ...where, retained: false })
    await ready
    await publish.single('helpers/retained', 'fresh', where)
    const fresh = await waiting
    assert.equal(fresh.retain, false)
    assert.equal(text(fresh), 'fresh')
    await publish.single('helpers/retained', null, { ...where, retain: true })
  })

  test('subscribe.callback runs until stop() and passes userdata', async () => {
    const seen: string[] = []
    const subscriber = await subscribe.callback(
      (client, userdata, message) => {
        assert.equal(userdata, 'ud')
        assert.equal(client, subscriber.client)
        seen.push(text(message))
      },
      ['helpers/cb/1', 'helpers/cb/2'],
      { ...where, userdata: 'ud', qos: 1 },
    )
    await publish.multiple(
      [
        ['helpers/cb/1', 'a', 1],
        ['helpers/cb/2', 'b', 1],
      ],
      where,
    )
    while (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 10))
    await subscriber.stop()
    await subscriber.done
    assert.deepEqual(seen.sort(), ['a', 'b'])
    assert.equal(subscriber.client.state, 'closed')
  })

  test('subscribe.callback stops when its AbortSignal aborts', async () => {
    const controller = new AbortController()
    const subscriber = await subscribe.callback(() => {}, 'helpers/abort', { ...where, signal: controller.signal })
    controller.abort()
    await subscriber.done
    assert.equal(subscriber.client.state, 'closed')
  })

  test('subscribe.simple rejects with ERR_ABORTED when the signal aborts', async () => {
    const controller = new AbortController()
    const waiting = subscribe.simple('helpers/never', { ...where, signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    await assert.rejects(waiting, { code: 'ERR_ABORTED' })
  })

  test('options are checked: unknown protocol, bad msgCount, malformed messages', async () => {
    await assert.rejects(publish.single('t', 'x', { ...where, protocol: 6 as never }), { code: 'ERR_INVALID_ARGUMENT' })
    await assert.rejects(subscribe.simple('t', { ...where, msgCount: 0 }), { code: 'ERR_INVALID_ARGUMENT' })
    await assert.rejects(publish.multiple([{ payload: 'x' } as never], where), { code: 'ERR_INVALID_ARGUMENT' })
  })

  test('a connection failure rejects and leaves nothing behind', async () => {
    const { freePort } = await import('../support/mosquitto.js')
    const port = await freePort()
    await assert.rejects(publish.single('t', 'x', { hostname: '127.0.0.1', port }), { code: 'ERR_CONNECT' })
  })
})
