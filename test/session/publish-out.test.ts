// Client-to-server PUBLISH flows: QoS 0/1/2, the in-flight window and the queue, reconnects with and without
// a session, the server's limits (Maximum QoS, Retain Available, Maximum Packet Size, Topic Alias Maximum).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { QoS } from '../../src/packet/types.js'
import { frame, hex, Peer, raw, str, utf8 } from './peer.js'

const id = (n: number) => `${(n >> 8).toString(16).padStart(2, '0')} ${(n & 0xff).toString(16).padStart(2, '0')}`
const msg = (topic: string, qos: QoS = 0, retain = false, text = 'message') => ({
  topic,
  payload: utf8(text),
  qos,
  retain,
})

/** A 3.1.1 PUBLISH as hex. */
function pub4(topic: string, qos: QoS, packetId?: number, dup = false, text = 'message', retain = false): string {
  const first = 0x30 | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0)
  return frame(first, str(topic), packetId === undefined ? '' : id(packetId), raw(text))
}

/** An MQTT 5 PUBLISH as hex (properties given as hex, without their length). */
function pub5(topic: string, qos: QoS, packetId?: number, props = '', dup = false, text = 'message'): string {
  const first = 0x30 | (dup ? 8 : 0) | (qos << 1)
  const propLength = props === '' ? 0 : props.trim().split(/\s+/).length
  return frame(
    first,
    str(topic),
    packetId === undefined ? '' : id(packetId),
    propLength.toString(16).padStart(2, '0'),
    props,
    raw(text),
  )
}

describe('QoS 0', () => {
  test('[3.1.1: MQTT-3.3.1-2, MQTT-4.3.1-1, MQTT-2.3.1-5, MQTT-3.3.2-1] 03-publish-qos0: no packet id, DUP 0; done when the bytes are taken', () => {
    const peer = new Peer({ protocolVersion: 4 }).connect()
    const { token, packetId } = peer.session.publish(msg('pub/qos0/test'), peer.now)
    assert.equal(packetId, undefined)
    assert.deepEqual(peer.take('publish-done'), [])
    peer.expect(pub4('pub/qos0/test', 0))
    assert.deepEqual(peer.take('publish-done'), [{ type: 'publish-done', token }])
  })

  test('03-publish-qos0-no-payload and 04-retain-qos0', () => {
    const peer = new Peer({ protocolVersion: 4 }).connect()
    peer.session.publish(
      { topic: 'pub/qos0/no-payload/test', payload: new Uint8Array(0), qos: 0, retain: false },
      peer.now,
    )
    peer.expect(frame(0x30, str('pub/qos0/no-payload/test')))
    peer.session.publish(msg('retain/qos0/test', 0, true, 'retained message'), peer.now)
    peer.expect(pub4('retain/qos0/test', 0, undefined, false, 'retained message', true))
  })

  test('QoS 0 published offline is queued and goes out after the CONNACK, still DUP 0', () => {
    const peer = new Peer({ protocolVersion: 4 })
    const { token } = peer.session.publish(msg('a'), peer.now)
    peer.open().expect(frame(0x10, str('MQTT'), '04 02 00 3c', str('test-client')))
    peer.send('20 02 00 00').expect(pub4('a', 0))
    assert.deepEqual(peer.take('publish-done'), [{ type: 'publish-done', token }])
  })
})

describe('QoS 1 and 2', () => {
  test('[3.1.1: MQTT-4.3.2-1, MQTT-2.3.1-1, MQTT-2.3.1-2] QoS 1: fresh id, DUP 0, pending until PUBACK', () => {
    const peer = new Peer({ protocolVersion: 4 }).connect()
    const first = peer.session.publish(msg('pub/qos1/test', 1), peer.now)
    const second = peer.session.publish(msg('pub/qos1/test', 1), peer.now)
    assert.equal(first.packetId, 1)
    assert.equal(second.packetId, 2)
    peer.expect(pub4('pub/qos1/test', 1, 1), pub4('pub/qos1/test', 1, 2))
    peer.advance(1000)
    assert.deepEqual(peer.take('publish-done'), [])
    peer.send('40 02 00 02')
    assert.deepEqual(peer.take('publish-done'), [
      { type: 'publish-done', token: second.token, packetId: 2, reasonCode: 0 },
    ])
    peer.send('40 02 00 01')
    assert.equal(peer.take('publish-done')[0]?.token, first.token)
  })

  test('[3.1.1: MQTT-4.3.3-1, MQTT-3.6.1-1, MQTT-2.3.1-6] QoS 2: PUBLISH, PUBREC -> PUBREL (flags 0010), PUBCOMP -> done', () => {
    const peer = new Peer({ protocolVersion: 4 }).connect()
    const { token } = peer.session.publish(msg('pub/qos2/test', 2), peer.now)
    peer.expect(pub4('pub/qos2/test', 2, 1))
    peer.send('50 02 00 01').expect('62 02 00 01')
    assert.deepEqual(peer.take('publish-done'), [])
    peer.send('70 02 00 01')
    assert.deepEqual(peer.take('publish-done'), [{ type: 'publish-done', token, packetId: 1, reasonCode: 0 }])
  })

  test('03-publish-qos1-timeout: nothing is retransmitted within a connection, only PINGREQ', () => {
    const peer = new Peer({ protocolVersion: 4, keepalive: 5 }).connect()
    peer.session.publish(msg('pub/qos1/test', 1), peer.now)
    peer.written()
    peer.advance(5000).expect('c0 00')
    peer.send('d0 00').advance(1000).expectNothing()
  })

  test('[MQTT-4.4.0-2] a PUBACK >= 0x80 fails the publish; the id is free again', () => {
    const peer = new Peer().connect()
    const { token } = peer.session.publish(msg('a', 1), peer.now)
    peer.written()
    peer.send('40 03 00 01 87')
    const [failed] = peer.take('publish-failed')
    assert.equal(failed?.token, token)
    assert.equal(failed?.error.code, 'ERR_PUBLISH_REJECTED')
    assert.equal(failed?.error.reasonCode, 0x87)
    assert.equal(peer.session.publish(msg('a', 1), peer.now).packetId, 2)
  })

  test('[MQTT-4.4.0-2] a PUBREC >= 0x80 ends the flow: no PUBREL', () => {
    const peer = new Peer().connect()
    peer.session.publish(msg('a', 2), peer.now)
    peer.written()
    peer.send('50 03 00 01 80').expectNothing()
    assert.equal(peer.take('publish-failed')[0]?.error.reasonCode, 0x80)
  })

  test('a PUBCOMP 0x92 (packet id not found) fails the publish', () => {
    const peer = new Peer().connect()
    peer.session.publish(msg('a', 2), peer.now)
    peer.written()
    peer.send('50 02 00 01').expect('62 02 00 01')
    peer.send('70 03 00 01 92')
    const [failed] = peer.take('publish-failed')
    assert.equal(failed?.error.code, 'ERR_PUBLISH_REJECTED')
    assert.equal(failed?.error.reasonCode, 0x92)
  })

  test('PUBACK with a success code and properties reports them', () => {
    const peer = new Peer().connect()
    peer.session.publish(msg('a', 1), peer.now)
    peer.written()
    peer.send({ type: 'puback', packetId: 1, reasonCode: 0x10, properties: { reasonString: 'nobody' } })
    const [done] = peer.take('publish-done')
    assert.equal(done?.reasonCode, 0x10)
    assert.deepEqual(done?.properties, { reasonString: 'nobody' })
  })

  for (const [name, bytes] of [
    ['PUBACK', '40 02 00 07'],
    ['PUBREC', '50 02 00 07'],
    ['PUBCOMP', '70 02 00 07'],
  ] as const) {
    test(`unexpected ${name} (mosquitto lib flow): DISCONNECT 0x82, error, close`, () => {
      const peer = new Peer().connect()
      peer.send(bytes).expect('e0 01 82')
      peer.expectFailure('ERR_UNKNOWN_PACKET_ID')
      assert.equal(peer.session.state, 'disconnecting')
    })
  }

  test('a PUBACK for a QoS 2 message is unexpected too; a repeated PUBREC is answered with PUBREL again', () => {
    const peer = new Peer({ protocolVersion: 4 }).connect()
    peer.session.publish(msg('a', 2), peer.now)
    peer.written()
    peer.send('50 02 00 01').expect('62 02 00 01')
    peer.send('50 02 00 01').expect('62 02 00 01')
    peer.send('40 02 00 01')
    assert.equal(peer.take('error')[0]?.error.code, 'ERR_UNKNOWN_PACKET_ID')
  })
})

describe('reconnect', () => {
  test('[3.1.1: MQTT-4.4.0-1, MQTT-3.3.1-1, MQTT-2.3.1-3] 03-publish-c2b-qos1-disconnect: same id, DUP 1 when the session is present', () => {
    const peer = new Peer({ clientId: 'publish-qos1-test', protocolVersion: 4, clean: false }).connect()
    const { token } = peer.session.publish(msg('pub/qos1/test', 1), peer.now)
    peer.expect(pub4('pub/qos1/test', 1, 1))
    peer.drop().open().written()
    peer.send('20 02 01 00').expect(pub4('pub/qos1/test', 1, 1, true))
    peer.send('40 02 00 01')
    assert.equal(peer.take('publish-done')[0]?.token, token)
  })

  test('[3.1.1: MQTT-4.4.0-1, MQTT-4.3.3-1, MQTT-3.1.2-4] 03-publish-c2b-qos2-disconnect: DUP PUBLISH, then PUBREL re-sent, never the PUBLISH after PUBREL', () => {
    const peer = new Peer({ clientId: 'publish-qos2-test', protocolVersion: 4, clean: false }).connect()
    const { token } = peer.session.publish(msg('pub/qos2/test', 2), peer.now)
    peer.expect(pub4('pub/qos2/test', 2, 1))
    peer.drop().open().written()
    peer.send('20 02 01 00').expect(pub4('pub/qos2/test', 2, 1, true))
    peer.send('50 02 00 01').expect('62 02 00 01')
    peer.drop().open().written()
    peer.send('20 02 01 00').expect('62 02 00 01')
    peer.send('70 02 00 01')
    assert.equal(peer.take('publish-done')[0]?.token, token)
    peer.session.disconnect(peer.now)
    peer.expect('e0 00')
  })

  test('[MQTT-4.6.0-1] [MQTT-4.6.0-4] [MQTT-4.4.0-1] [MQTT-3.1.2-23] re-sends keep the original order; PUBRELs in PUBREC order', () => {
    const peer = new Peer({ clientId: 'c', properties: { sessionExpiryInterval: 60 } }).connect()
    for (const topic of ['a', 'b', 'c', 'd']) peer.session.publish(msg(topic, 2), peer.now)
    peer.written()
    peer.send('50 02 00 03', '50 02 00 01').expect('62 02 00 03', '62 02 00 01')
    peer.drop().open().written()
    peer.send('20 03 01 00 00')
    peer.expect('62 02 00 03', '62 02 00 01', pub5('b', 2, 2, '', true), pub5('d', 2, 4, '', true))
  })

  test('[MQTT-3.2.2-5] [MQTT-4.4.0-1] no session on the server: unacknowledged messages are published anew (DUP 0), PUBREC-ed ones complete', () => {
    const peer = new Peer({ clientId: 'c', properties: { sessionExpiryInterval: 60 } }).connect()
    const q1 = peer.session.publish(msg('one', 1), peer.now)
    const q2 = peer.session.publish(msg('two', 2), peer.now)
    peer.written()
    peer.send('50 02 00 02').expect('62 02 00 02')
    peer.drop()
    const offline = peer.session.publish(msg('three', 1), peer.now)
    peer.open().written()
    peer.send('20 03 00 00 00')
    const events = peer.events()
    assert.equal(events[0]?.type, 'connected')
    assert.deepEqual(events[1], { type: 'publish-done', token: q2.token, packetId: 2 })
    peer.expect(pub5('one', 1, 1), pub5('three', 1, 3))
    assert.equal(offline.packetId, 3)
    peer.send('40 02 00 01')
    assert.equal(peer.take('publish-done')[0]?.token, q1.token)
  })

  test('[MQTT-3.2.2-4] Session Present = 1 after a clean start is a protocol error', () => {
    const peer = new Peer({ clientId: 'c' }).open()
    peer.written()
    peer.send('20 03 01 00 00').expect('e0 01 82')
    assert.equal(peer.take('error')[0]?.error.code, 'ERR_SESSION_PRESENT')
  })
})

describe('flow control', () => {
  for (const receiveMaximum of [1, 2, 3]) {
    test(`[MQTT-3.3.4-7] [MQTT-4.9.0-1] [MQTT-4.9.0-2] Receive Maximum ${receiveMaximum}: never more in flight`, () => {
      const peer = new Peer().connect({}, { receiveMaximum })
      for (let i = 0; i < 5; i++) peer.session.publish(msg('t', ((i % 2) + 1) as QoS), peer.now)
      const expected = (n: number) => pub5('t', (((n - 1) % 2) + 1) as QoS, n)
      peer.expect(...Array.from({ length: receiveMaximum }, (_, i) => expected(i + 1)))
      // Each completion lets exactly one more out.
      let next = receiveMaximum + 1
      for (let done = 1; done <= 5; done++) {
        if (done % 2 === 1) peer.send(`40 02 00 0${done}`)
        else {
          peer.send(`50 02 00 0${done}`).expect(`62 02 00 0${done}`)
          peer.send(`70 02 00 0${done}`)
        }
        if (next <= 5) peer.expect(expected(next++))
        else peer.expectNothing()
      }
      assert.equal(peer.take('publish-done').length, 5)
    })
  }

  test('[MQTT-3.3.4-8] [MQTT-4.9.0-3] a full window holds back only PUBLISH: subscribes, acks and pings still flow', () => {
    const peer = new Peer({ keepalive: 10 }).connect({}, { receiveMaximum: 1 })
    peer.session.publish(msg('a', 1), peer.now)
    peer.session.publish(msg('b', 1), peer.now)
    peer.expect(pub5('a', 1, 1))
    peer.session.subscribe([{ topic: 's', qos: 0 }], undefined, peer.now)
    peer.expect(frame(0x82, '00 03 00', str('s'), '00'))
    peer.send(pub5('in', 1, 9)).expect('40 02 00 09')
    peer.advance(10_000).expect('c0 00')
  })

  test('maxInflight bounds the window too (3.1.1 has no Receive Maximum)', () => {
    const peer = new Peer({ protocolVersion: 4, maxInflight: 1 }).connect()
    peer.session.publish(msg('a', 1), peer.now)
    peer.session.publish(msg('b', 1), peer.now)
    peer.session.publish(msg('c', 0), peer.now) // waits behind 'b': publish order is kept
    peer.expect(pub4('a', 1, 1))
    peer.send('40 02 00 01').expect(pub4('b', 1, 2), pub4('c', 0))
  })

  test('ERR_QUEUE_FULL: maxQueued messages wait, the next publish throws synchronously', () => {
    const peer = new Peer({ maxQueued: 2 })
    peer.session.publish(msg('a', 1), peer.now)
    peer.session.publish(msg('b', 0), peer.now)
    assert.throws(() => peer.session.publish(msg('c', 1), peer.now), { code: 'ERR_QUEUE_FULL' })
    peer.connect({}, { receiveMaximum: 1 })
    peer.expect(pub5('a', 1, 1), pub5('b', 0))
    // The window is full: 'c' and 'd' queue, 'e' does not fit.
    peer.session.publish(msg('c', 1), peer.now)
    peer.session.publish(msg('d', 0), peer.now)
    assert.throws(() => peer.session.publish(msg('e', 0), peer.now), { code: 'ERR_QUEUE_FULL' })
    peer.expectNothing()
    peer.send('40 02 00 01').expect(pub5('c', 1, 2), pub5('d', 0))
  })

  test('[MQTT-2.2.1-3] all 65,535 ids in use: a publish queues without an id, a SUBSCRIBE is refused', () => {
    const peer = new Peer()
    for (let i = 0; i < 65_535; i++) peer.session.publish(msg('a', 1), peer.now)
    assert.equal(peer.session.publish(msg('a', 1), peer.now).packetId, undefined)
    assert.throws(() => peer.session.subscribe([{ topic: 'a', qos: 0 }], undefined, peer.now), {
      code: 'ERR_PACKET_ID_EXHAUSTED',
    })
    // QoS 0 needs no id.
    assert.equal(peer.session.publish(msg('a', 0), peer.now).packetId, undefined)
  })
})

describe('server limits', () => {
  test('[MQTT-3.2.2-11] Maximum QoS: a higher QoS fails with ERR_QOS_NOT_SUPPORTED (refused, not downgraded)', () => {
    const peer = new Peer()
    const queued = peer.session.publish(msg('a', 2), peer.now)
    peer.connect({}, { maximumQoS: 1 })
    peer.expectNothing()
    const [failed] = peer.take('publish-failed')
    assert.equal(failed?.token, queued.token)
    assert.equal(failed?.error.code, 'ERR_QOS_NOT_SUPPORTED')
    assert.throws(() => peer.session.publish(msg('a', 2), peer.now), { code: 'ERR_QOS_NOT_SUPPORTED' })
    peer.session.publish(msg('a', 1), peer.now)
    peer.expect(pub5('a', 1, 2))
  })

  test('[MQTT-3.2.2-14] Retain Available 0: a retained publish fails with ERR_RETAIN_NOT_SUPPORTED', () => {
    const peer = new Peer().connect({}, { retainAvailable: false })
    assert.throws(() => peer.session.publish(msg('a', 0, true), peer.now), { code: 'ERR_RETAIN_NOT_SUPPORTED' })
    peer.expectNothing()
  })

  test('[MQTT-3.2.2-15] a PUBLISH above the server Maximum Packet Size fails with ERR_PACKET_TOO_LARGE', () => {
    const peer = new Peer().connect({}, { maximumPacketSize: 20 })
    const big = peer.session.publish({ topic: 't', payload: new Uint8Array(30), qos: 1, retain: false }, peer.now)
    peer.expectNothing()
    const [failed] = peer.take('publish-failed')
    assert.equal(failed?.token, big.token)
    assert.equal(failed?.error.code, 'ERR_PACKET_TOO_LARGE')
    // User properties of a PUBLISH are the application's: never dropped.
    const withProps = {
      ...msg('t', 0),
      properties: { userProperties: [['key', 'a long value']] as [string, string][] },
    }
    peer.session.publish(withProps, peer.now)
    assert.equal(peer.take('publish-failed')[0]?.error.code, 'ERR_PACKET_TOO_LARGE')
    const small = peer.session.publish(msg('t', 1, false, 'ok'), peer.now)
    assert.equal(small.packetId, 2) // ids go round robin
    peer.expect(pub5('t', 1, 2, '', false, 'ok'))
  })

  test('[MQTT-3.3.2-2] [MQTT-4.7.0-1] [MQTT-4.7.3-1] [MQTT-3.3.1-4] [MQTT-3.3.4-6] [MQTT-3.3.2-14] bad publish arguments throw', () => {
    const peer = new Peer().connect()
    assert.throws(() => peer.session.publish(msg('a/+'), peer.now), { code: 'ERR_TOPIC_NAME' })
    assert.throws(() => peer.session.publish(msg('a/#'), peer.now), { code: 'ERR_TOPIC_NAME' })
    assert.throws(() => peer.session.publish(msg(''), peer.now), { code: 'ERR_TOPIC_NAME' })
    assert.throws(() => peer.session.publish(msg('a', 3 as QoS), peer.now), { code: 'ERR_INVALID_ARGUMENT' })
    const withSubId = { ...msg('a'), properties: { subscriptionIdentifier: 3 } }
    assert.throws(() => peer.session.publish(withSubId, peer.now), { code: 'ERR_INVALID_ARGUMENT' })
    const badResponse = { ...msg('a'), properties: { responseTopic: 'r/#' } }
    assert.throws(() => peer.session.publish(badResponse, peer.now), { code: 'ERR_TOPIC_NAME' })
    peer.expectNothing()
  })

  test('[MQTT-3.3.2-13] [MQTT-3.3.2-19] properties go out as given (response topic, content type, user properties)', () => {
    const peer = new Peer().connect()
    const properties = {
      responseTopic: 'r',
      contentType: '\ufefftext',
      userProperties: [['k', 'v']] as [string, string][],
    }
    peer.session.publish({ ...msg('a'), properties }, peer.now)
    const props = `08 ${str('r')} 03 ${str('\ufefftext')} 26 ${str('k')} ${str('v')}`
    peer.expect(pub5('a', 0, undefined, props))
    assert.equal(hex(str('\ufefftext'))[2], 0xef)
  })
})

describe('outgoing topic aliases', () => {
  test('[MQTT-3.2.2-17] [MQTT-3.3.2-9] first use: topic + alias; later: empty topic + alias; least recently used replaced', () => {
    const peer = new Peer().connect({}, { topicAliasMaximum: 2 })
    for (const topic of ['a', 'a', 'b', 'c', 'b', 'a']) peer.session.publish(msg(topic), peer.now)
    peer.expect(
      pub5('a', 0, undefined, '23 00 01'),
      pub5('', 0, undefined, '23 00 01'),
      pub5('b', 0, undefined, '23 00 02'),
      pub5('c', 0, undefined, '23 00 01'), // 'a' was least recently used
      pub5('', 0, undefined, '23 00 02'),
      pub5('a', 0, undefined, '23 00 01'), // 'c' is now the oldest
    )
  })

  test('[MQTT-3.2.2-18] [MQTT-3.3.2-7] no Topic Alias Maximum: no aliases; aliases are forgotten on a new connection', () => {
    const none = new Peer().connect()
    none.session.publish(msg('a'), none.now)
    none.session.publish(msg('a'), none.now)
    none.expect(pub5('a', 0), pub5('a', 0))
    assert.throws(() => none.session.publish({ ...msg('a'), properties: { topicAlias: 1 } }, none.now), {
      code: 'ERR_INVALID_ARGUMENT',
    })
    const peer = new Peer().connect({}, { topicAliasMaximum: 5 })
    peer.session.publish(msg('a'), peer.now)
    peer.expect(pub5('a', 0, undefined, '23 00 01'))
    peer.drop().connect({}, { topicAliasMaximum: 5 })
    peer.session.publish(msg('a'), peer.now)
    peer.expect(pub5('a', 0, undefined, '23 00 01'))
  })

  test('[MQTT-3.3.2-8] [MQTT-3.3.2-9] a user-given alias is honoured and validated against the maximum; autoTopicAlias false turns aliasing off', () => {
    const peer = new Peer({ autoTopicAlias: false }).connect({}, { topicAliasMaximum: 3 })
    peer.session.publish({ ...msg('x'), properties: { topicAlias: 3 } }, peer.now)
    peer.session.publish({ ...msg(''), properties: { topicAlias: 3 } }, peer.now)
    peer.session.publish(msg('y'), peer.now)
    peer.expect(pub5('x', 0, undefined, '23 00 03'), pub5('', 0, undefined, '23 00 03'), pub5('y', 0))
    assert.throws(() => peer.session.publish({ ...msg('x'), properties: { topicAlias: 4 } }, peer.now), {
      code: 'ERR_INVALID_ARGUMENT',
    })
    assert.throws(() => peer.session.publish({ ...msg('x'), properties: { topicAlias: 0 } }, peer.now), {
      code: 'ERR_INVALID_ARGUMENT',
    })
  })
})
