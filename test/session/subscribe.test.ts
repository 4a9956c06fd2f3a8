// SUBSCRIBE / UNSUBSCRIBE: bytes, options, acks matched by packet id, the remembered subscription list,
// server capabilities, re-sending pending requests, failures.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MqttError } from '../../src/packet/errors.js'
import { frame, Peer, str } from './peer.js'

describe('SUBSCRIBE', () => {
  for (const qos of [0, 1, 2] as const) {
    test(`[3.1.1: MQTT-3.8.1-1, MQTT-3.8.3-1, MQTT-2.3.1-1] 02-subscribe-qos${qos}: flags 0010, filter, QoS; SUBACK reported`, () => {
      const peer = new Peer({ protocolVersion: 4 }).connect()
      const token = peer.session.subscribe([{ topic: `qos${qos}/test`, qos }], undefined, peer.now)
      peer.expect(frame(0x82, '00 01', str(`qos${qos}/test`), `0${qos}`))
      peer.send(frame(0x90, '00 01', `0${qos}`))
      assert.deepEqual(peer.take('subscribed'), [{ type: 'subscribed', token, reasonCodes: [qos] }])
    })
  }

  test('[MQTT-3.8.1-1] [MQTT-3.8.3-1] MQTT 5: subscription options, Subscription Identifier and user properties; per-filter reason codes', () => {
    const peer = new Peer().connect()
    const token = peer.session.subscribe(
      [
        { topic: 'a/+', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 },
        { topic: 'b/#', qos: 2 },
      ],
      { subscriptionIdentifier: 7, userProperties: [['k', 'v']] },
      peer.now,
    )
    peer.expect(frame(0x82, '00 01', `09 0b 07 26 ${str('k')} ${str('v')}`, str('a/+'), '2d', str('b/#'), '02'))
    peer.send(frame(0x90, '00 01', '00', '01 87'))
    assert.deepEqual(peer.take('subscribed'), [{ type: 'subscribed', token, reasonCodes: [1, 0x87] }])
    // Only granted filters are remembered, with their options and identifier.
    assert.deepEqual(peer.session.subscriptions(), [
      {
        topic: 'a/+',
        qos: 1,
        noLocal: true,
        retainAsPublished: true,
        retainHandling: 2,
        subscriptionIdentifier: 7,
        userProperties: [['k', 'v']],
      },
    ])
  })

  test('[MQTT-3.8.3-2] [MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.7.3-1] [MQTT-4.7.3-2] [MQTT-4.7.3-3] bad filters and an empty list throw', () => {
    const peer = new Peer().connect()
    const sub = (topic: string) => () => peer.session.subscribe([{ topic, qos: 0 }], undefined, peer.now)
    assert.throws(() => peer.session.subscribe([], undefined, peer.now), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(sub('a/#/b'), { code: 'ERR_TOPIC_FILTER' })
    assert.throws(sub('a#'), { code: 'ERR_TOPIC_FILTER' })
    assert.throws(sub('a/b+'), { code: 'ERR_TOPIC_FILTER' })
    assert.throws(sub(''), { code: 'ERR_TOPIC_FILTER' })
    assert.throws(sub('a\u0000b'), { code: 'ERR_UTF8' })
    assert.throws(sub('a'.repeat(65_536)), { code: 'ERR_UTF8' })
    assert.throws(sub('\ud800'), { code: 'ERR_UTF8' })
    assert.throws(() => peer.session.subscribe([{ topic: 'a', qos: 3 as 0 }], undefined, peer.now), {
      code: 'ERR_INVALID_ARGUMENT',
    })
    assert.throws(() => peer.session.subscribe([{ topic: 'a', qos: 0 }], { subscriptionIdentifier: 0 }, peer.now), {
      code: 'ERR_INVALID_ARGUMENT',
    })
    peer.expectNothing()
  })

  test('[MQTT-3.8.3-4] [MQTT-4.8.2-1] [MQTT-4.8.2-2] shared subscriptions: share name rules; No Local is refused', () => {
    const peer = new Peer().connect()
    const shared =
      (topic: string, noLocal = false) =>
      () =>
        peer.session.subscribe([{ topic, qos: 0, noLocal }], undefined, peer.now)
    assert.throws(shared('$share/g/a', true), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(shared('$share//a'), { code: 'ERR_TOPIC_FILTER' })
    assert.throws(shared('$share/g+/a'), { code: 'ERR_TOPIC_FILTER' })
    assert.throws(shared('$share/g'), { code: 'ERR_TOPIC_FILTER' })
    shared('$share/g/a/#')()
    peer.expect(frame(0x82, '00 01 00', str('$share/g/a/#'), '00'))
  })

  test('server capabilities: wildcard, shared and subscription-identifier subscriptions fail fast when not available', () => {
    const peer = new Peer().connect(
      {},
      {
        wildcardSubscriptionAvailable: false,
        sharedSubscriptionAvailable: false,
        subscriptionIdentifiersAvailable: false,
      },
    )
    const codes = [
      () => peer.session.subscribe([{ topic: 'a/+', qos: 0 }], undefined, peer.now),
      () => peer.session.subscribe([{ topic: '$share/g/a', qos: 0 }], undefined, peer.now),
      () => peer.session.subscribe([{ topic: 'a', qos: 0 }], { subscriptionIdentifier: 1 }, peer.now),
    ].map((call) => {
      try {
        call()
        return 'no error'
      } catch (error) {
        return (error as MqttError).code
      }
    })
    assert.deepEqual(codes, [
      'ERR_WILDCARD_NOT_SUPPORTED',
      'ERR_SHARED_NOT_SUPPORTED',
      'ERR_SUBSCRIPTION_ID_NOT_SUPPORTED',
    ])
    // A QoS above the server's Maximum QoS is fine: the server grants what it can.
    peer.session.subscribe([{ topic: 'a', qos: 2 }], undefined, peer.now)
    peer.expect(frame(0x82, '00 01 00', str('a'), '02'))
  })

  test('a SUBACK with the wrong number of reason codes, or for an unknown id, is a protocol error', () => {
    const wrong = new Peer().connect()
    wrong.session.subscribe([{ topic: 'a', qos: 0 }], undefined, wrong.now)
    wrong.written()
    wrong.send(frame(0x90, '00 01 00', '00 00')).expect('e0 01 82')
    assert.equal(wrong.take('error')[0]?.error.code, 'ERR_SUBACK_COUNT')
    const unknown = new Peer().connect()
    unknown.send(frame(0x90, '00 09 00', '00')).expect('e0 01 82')
    assert.equal(unknown.take('error')[0]?.error.code, 'ERR_UNKNOWN_PACKET_ID')
  })

  test('a SUBSCRIBE above the server Maximum Packet Size fails with request-failed', () => {
    const peer = new Peer().connect({}, { maximumPacketSize: 10 })
    const token = peer.session.subscribe([{ topic: 'a/long/topic/filter', qos: 0 }], undefined, peer.now)
    peer.expectNothing()
    const [failed] = peer.take('request-failed')
    assert.equal(failed?.token, token)
    assert.equal(failed?.error.code, 'ERR_PACKET_TOO_LARGE')
  })
})

describe('UNSUBSCRIBE', () => {
  test('[3.1.1: MQTT-3.10.1-1, MQTT-3.10.3-1] 02-unsubscribe: flags 0010; UNSUBACK (3.1.1, no codes) forgets the filter', () => {
    const peer = new Peer({ protocolVersion: 4 }).connect()
    peer.session.subscribe([{ topic: 'unsubscribe/test', qos: 1 }], undefined, peer.now)
    peer.written()
    peer.send('90 03 00 01 01')
    assert.equal(peer.session.subscriptions().length, 1)
    const token = peer.session.unsubscribe(['unsubscribe/test'], undefined, peer.now)
    peer.expect(frame(0xa2, '00 02', str('unsubscribe/test')))
    peer.send('b0 02 00 02')
    assert.deepEqual(peer.take('unsubscribed'), [{ type: 'unsubscribed', token, reasonCodes: [] }])
    assert.deepEqual(peer.session.subscriptions(), [])
  })

  test('[MQTT-3.10.1-1] [MQTT-3.10.3-1] [MQTT-3.10.3-2] MQTT 5: per-filter reason codes, the count is checked; an empty list throws', () => {
    const peer = new Peer().connect()
    assert.throws(() => peer.session.unsubscribe([], undefined, peer.now), { code: 'ERR_INVALID_ARGUMENT' })
    const token = peer.session.unsubscribe(['a', 'b'], { userProperties: [['k', 'v']] }, peer.now)
    peer.expect(frame(0xa2, '00 01', `07 26 ${str('k')} ${str('v')}`, str('a'), str('b')))
    peer.send(frame(0xb0, '00 01 00', '00 11'))
    assert.deepEqual(peer.take('unsubscribed'), [{ type: 'unsubscribed', token, reasonCodes: [0, 0x11] }])
    peer.session.unsubscribe(['c'], undefined, peer.now)
    peer.written()
    peer.send(frame(0xb0, '00 02 00', '00 00')).expect('e0 01 82')
  })
})

describe('pending requests across connections', () => {
  test('requests made offline or unanswered at a drop are sent again after the CONNACK, with or without a session', () => {
    const peer = new Peer()
    const first = peer.session.subscribe([{ topic: 'a', qos: 1 }], undefined, peer.now)
    peer.connect().expect(frame(0x82, '00 01 00', str('a'), '01'))
    const second = peer.session.unsubscribe(['b'], undefined, peer.now)
    peer.written()
    peer.drop().connect({ sessionPresent: false })
    peer.expect(frame(0x82, '00 01 00', str('a'), '01'), frame(0xa2, '00 02 00', str('b')))
    peer.send(frame(0x90, '00 01 00', '01'), frame(0xb0, '00 02 00', '00'))
    assert.equal(peer.take('subscribed')[0]?.token, first)
    assert.equal(peer.take('unsubscribed')[0]?.token, second)
  })

  test('abandon() fails pending requests and messages', () => {
    const peer = new Peer()
    const token = peer.session.subscribe([{ topic: 'a', qos: 1 }], undefined, peer.now)
    const published = peer.session.publish({ topic: 'a', payload: new Uint8Array(0), qos: 1, retain: false }, peer.now)
    const error = new MqttError('ERR_CLOSED', 'closed')
    peer.session.abandon(error)
    assert.deepEqual(peer.take('request-failed'), [{ type: 'request-failed', token, error }])
    assert.deepEqual(peer.take('publish-failed'), [
      { type: 'publish-failed', token: published.token, packetId: 2, error },
    ])
    peer.connect().expectNothing()
  })
})
