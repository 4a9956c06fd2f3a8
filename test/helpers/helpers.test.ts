import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as publish from '../../src/helpers/publish.js'
import * as subscribe from '../../src/helpers/subscribe.js'
import { encode, type Message } from '../../src/index.js'
import { startFakeServer } from '../client/fake-server.js'
import { useEmbeddedBroker } from '../support/embedded-broker.js'

const text = (message: Message) => new TextDecoder().decode(message.payload)

describe('one-shot helpers against the embedded broker', () => {
  const embedded = useEmbeddedBroker()

  test('publish.single reaches a subscribe.simple waiting for it', async () => {
    const ready = embedded.subscribed('helpers/single')
    const waiting = subscribe.simple('helpers/single', { ...embedded.where, qos: 1 })
    await ready
    await publish.single('helpers/single', 'hello', { ...embedded.where, qos: 1 })
    const message = await waiting
    assert.equal(message.topic, 'helpers/single')
    assert.equal(text(message), 'hello')
  })

  test('publish.multiple takes objects and tuples; simple with msgCount returns a list in order', async () => {
    const ready = embedded.subscribed('helpers/multi/#')
    const waiting = subscribe.simple('helpers/multi/#', { ...embedded.where, qos: 2, msgCount: 3 })
    await ready
    await publish.multiple(
      [
        { topic: 'helpers/multi/a', payload: 'one', qos: 1 },
        ['helpers/multi/b', 'two', 2, false],
        ['helpers/multi/c', 3],
      ],
      embedded.where,
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
    await publish.single('helpers/retained', 'kept', { ...embedded.where, retain: true, qos: 1 })
    const retained = await subscribe.simple('helpers/retained', embedded.where)
    assert.equal(retained.retain, true)
    assert.equal(text(retained), 'kept')
    const ready = embedded.subscribed('helpers/retained')
    const waiting = subscribe.simple('helpers/retained', { ...embedded.where, retained: false })
    await ready
    await publish.single('helpers/retained', 'fresh', embedded.where)
    const fresh = await waiting
    assert.equal(fresh.retain, false)
    assert.equal(text(fresh), 'fresh')
    await publish.single('helpers/retained', null, { ...embedded.where, retain: true })
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
      { ...embedded.where, userdata: 'ud', qos: 1 },
    )
    await publish.multiple(
      [
        ['helpers/cb/1', 'a', 1],
        ['helpers/cb/2', 'b', 1],
      ],
      embedded.where,
    )
    while (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 10))
    await subscriber.stop()
    await subscriber.done
    assert.deepEqual(seen.sort(), ['a', 'b'])
    assert.equal(subscriber.client.state, 'closed')
  })

  test('subscribe.callback stops when its AbortSignal aborts', async () => {
    const controller = new AbortController()
    const subscriber = await subscribe.callback(() => {}, 'helpers/abort', {
      ...embedded.where,
      signal: controller.signal,
    })
    controller.abort()
    await subscriber.done
    assert.equal(subscriber.client.state, 'closed')
  })

  test('subscribe.simple rejects with ERR_ABORTED when the signal aborts', async () => {
    const controller = new AbortController()
    const waiting = subscribe.simple('helpers/never', { ...embedded.where, signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    await assert.rejects(waiting, { code: 'ERR_ABORTED' })
  })

  test('options are checked: unknown protocol, bad msgCount, malformed messages', async () => {
    await assert.rejects(publish.single('t', 'x', { ...embedded.where, protocol: 6 as never }), {
      code: 'ERR_INVALID_ARGUMENT',
    })
    await assert.rejects(subscribe.simple('t', { ...embedded.where, msgCount: 0 }), { code: 'ERR_INVALID_ARGUMENT' })
    await assert.rejects(publish.multiple([{ payload: 'x' } as never], embedded.where), {
      code: 'ERR_INVALID_ARGUMENT',
    })
  })

  test('a connection failure rejects and leaves nothing behind', async () => {
    const { freePort } = await import('../support/mosquitto.js')
    const port = await freePort()
    await assert.rejects(publish.single('t', 'x', { hostname: '127.0.0.1', port }), { code: 'ERR_CONNECT' })
  })
})

describe('subscribe.callback against a scripted server', () => {
  test('calls back only after it resolved, so the callback can stop() its Subscriber', async () => {
    const server = await startFakeServer()
    try {
      // The SUBACK and a retained message in one TCP write: the message is there before callback() returns.
      const script = (async () => {
        const connection = await server.nextConnection()
        await connection.accept()
        const request = await connection.next('subscribe')
        const v = connection.version
        const suback = encode({ type: 'suback', packetId: request.packetId, reasonCodes: [0] }, v)
        const early = encode(
          { type: 'publish', topic: 'cb/early', payload: new Uint8Array([1]), qos: 0, retain: true, dup: false },
          v,
        )
        connection.sendRaw(Buffer.concat([suback, early]))
      })()
      const seen: string[] = []
      const subscriber: subscribe.Subscriber = await subscribe.callback(
        (_client, _userdata, message) => {
          seen.push(message.topic)
          void subscriber.stop()
        },
        'cb/early',
        { hostname: '127.0.0.1', port: server.port },
      )
      await script
      let timer: ReturnType<typeof setTimeout> | undefined
      const stuck = new Promise((resolve) => {
        timer = setTimeout(() => resolve('still running'), 3000)
      })
      try {
        assert.equal(await Promise.race([subscriber.done.then(() => 'stopped'), stuck]), 'stopped')
      } finally {
        clearTimeout(timer)
        await subscriber.client.close()
      }
      assert.deepEqual(seen, ['cb/early'])
    } finally {
      await server.close()
    }
  })
})
