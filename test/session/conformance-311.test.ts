// MQTT 3.1.1 client statements checked at protocol version 4, byte for byte against the scripted peer. Most
// mirror an MQTT 5 scenario elsewhere; the ids are 3.1.1's own numbering (docs/conformance.md).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { QoS } from '../../src/packet/types.js'
import { Session } from '../../src/session/session.js'
import { MemorySessionStore } from '../../src/session/store.js'
import { frame, Peer, raw, str, utf8 } from './peer.js'

const V4 = { clientId: 'c', protocolVersion: 4 } as const
const CONNECT_CLEAN = frame(0x10, str('MQTT'), '04 02 00 3c', str('c'))
const CONNECT_KEEP = frame(0x10, str('MQTT'), '04 00 00 3c', str('c'))
const msg = (topic: string, qos: QoS = 0, text = 'm') => ({ topic, payload: utf8(text), qos, retain: false })
const id = (n: number) => `00 ${n.toString(16).padStart(2, '0')}`
/** A 3.1.1 PUBLISH as hex. */
const pub = (topic: string, qos: QoS, packetId?: number, dup = false, text = 'm') =>
  frame(0x30 | (dup ? 8 : 0) | (qos << 1), str(topic), packetId === undefined ? '' : id(packetId), raw(text))

describe('MQTT 3.1.1: packet format', () => {
  test('[3.1.1: MQTT-2.2.2-1] every packet the client writes has the fixed-header flags of its type', () => {
    const peer = new Peer({ ...V4, keepalive: 5 }).open()
    peer.expect(frame(0x10, str('MQTT'), '04 02 00 05', str('c'))) // CONNECT 0000
    peer.send('20 02 00 00')
    peer.session.publish(msg('q', 2), peer.now)
    peer.session.subscribe([{ topic: 's', qos: 1 }], undefined, peer.now)
    peer.session.unsubscribe(['s'], undefined, peer.now)
    // PUBLISH carries DUP/QoS/RETAIN (0100 here); SUBSCRIBE and UNSUBSCRIBE 0010.
    peer.expect(pub('q', 2, 1), frame(0x82, id(2), str('s'), '01'), frame(0xa2, id(3), str('s')))
    peer.send('50 02 00 01').expect('62 02 00 01') // PUBREL 0010
    peer.send(pub('in', 1, 7)).expect('40 02 00 07') // PUBACK 0000
    peer.send(pub('in', 2, 8)).expect('50 02 00 08') // PUBREC 0000
    peer.send('62 02 00 08').expect('70 02 00 08') // PUBCOMP 0000
    peer.advance(5000).expect('c0 00') // PINGREQ 0000
    peer.session.disconnect(peer.now)
    peer.expect('e0 00') // DISCONNECT 0000
  })

  test('[3.1.1: MQTT-1.5.3-1, MQTT-1.5.3-2] strings with a lone surrogate or U+0000 are never written', () => {
    const peer = new Peer(V4).connect()
    for (const topic of ['a\ud800', '\udc00', 'a\u0000b']) {
      assert.throws(() => peer.session.publish(msg(topic), peer.now), { code: 'ERR_UTF8' })
      assert.throws(() => peer.session.subscribe([{ topic, qos: 0 }], undefined, peer.now), { code: 'ERR_UTF8' })
    }
    assert.throws(() => new Session({ ...V4, will: { ...msg('w\u0000'), qos: 0 } }), { code: 'ERR_UTF8' })
    peer.expectNothing()
  })

  test('[3.1.1: MQTT-1.5.3-1, MQTT-1.5.3-2, MQTT-4.8.0-1] a received topic with ill-formed UTF-8 or U+0000 closes the connection, no DISCONNECT', () => {
    for (const topic of ['00 02 c3 28', '00 03 61 00 62', '00 03 ed a0 80']) {
      const peer = new Peer(V4).connect()
      peer.send(frame(0x30, topic, '78')).expectNothing()
      peer.expectFailure('ERR_UTF8')
    }
  })

  test('[3.1.1: MQTT-3.3.1-4] QoS 3 is never sent; a received PUBLISH with both QoS bits set closes the connection', () => {
    const peer = new Peer(V4).connect()
    assert.throws(() => peer.session.publish(msg('a', 3 as QoS), peer.now), { code: 'ERR_INVALID_ARGUMENT' })
    peer.expectNothing()
    peer.send(frame(0x36, str('a'), '00 01', '78')).expectNothing()
    peer.expectFailure('ERR_QOS')
    assert.equal(peer.take('message').length, 0)
  })
})

describe('MQTT 3.1.1: CONNECT', () => {
  test('[3.1.1: MQTT-3.1.2-14] Will QoS 2 is written as bits 10; Will QoS 3 is refused', () => {
    const will = { topic: 'w', payload: utf8('x'), qos: 2 as const, retain: false }
    new Peer({ ...V4, will }).open().expect(frame(0x10, str('MQTT'), '04 16 00 3c', str('c'), str('w'), str('x')))
    assert.throws(() => new Session({ ...V4, will: { ...will, qos: 3 as 0 } }), { code: 'ERR_INVALID_ARGUMENT' })
  })

  test('[3.1.1: MQTT-3.1.0-1] CONNECT is the first packet even when messages and requests were queued before', () => {
    const peer = new Peer(V4)
    peer.session.publish(msg('a', 1), peer.now)
    peer.session.subscribe([{ topic: 's', qos: 0 }], undefined, peer.now)
    peer.open().expect(CONNECT_CLEAN)
    peer.send('20 02 00 00').expect(frame(0x82, id(2), str('s'), '00'), pub('a', 1, 1))
  })
})

describe('MQTT 3.1.1: sessions', () => {
  test('[3.1.1: MQTT-3.1.2-6] CleanSession 1: the earlier session is dropped, its state never reused', () => {
    const peer = new Peer({ ...V4, clean: true }).connect()
    const q2 = peer.session.publish(msg('two', 2), peer.now)
    peer.session.publish(msg('one', 1), peer.now)
    peer.written()
    peer.send('50 02 00 01').expect('62 02 00 01')
    peer.send(pub('in', 2, 3)).expect('50 02 00 03')
    assert.equal(peer.take('message').length, 1)
    peer.drop().open().expect(CONNECT_CLEAN)
    peer.send('20 02 00 00')
    // The released QoS 2 flow is over (no PUBREL again); the unacknowledged QoS 1 message goes out as new.
    assert.deepEqual(peer.take('publish-done'), [{ type: 'publish-done', token: q2.token, packetId: 1 }])
    peer.expect(pub('one', 1, 2))
    // Incoming id 3 is forgotten: the same id is a new message.
    peer.send(pub('in', 2, 3)).expect('50 02 00 03')
    assert.equal(peer.take('message').length, 1)
  })

  test('[3.1.1: MQTT-4.1.0-1, MQTT-4.1.0-2] state lives as long as the connection: an hour-old flow still completes', () => {
    const peer = new Peer({ ...V4, clean: false, keepalive: 0 }).connect()
    const { token } = peer.session.publish(msg('a', 1), peer.now)
    peer.written()
    peer.send(pub('in', 2, 5)).expect('50 02 00 05')
    peer.take('message')
    peer.advance(3_600_000).expectNothing()
    peer.send(pub('in', 2, 5, true)).expect('50 02 00 05')
    assert.equal(peer.take('message').length, 0)
    peer.send('40 02 00 01')
    assert.equal(peer.take('publish-done')[0]?.token, token)
  })

  test('[3.1.1: MQTT-4.6.0-1, MQTT-4.6.0-4, MQTT-3.3.1-1] re-sent PUBLISHes keep their order; PUBRELs follow PUBREC order', () => {
    const peer = new Peer({ ...V4, clean: false }).connect()
    for (const topic of ['a', 'b', 'c', 'd']) peer.session.publish(msg(topic, topic < 'c' ? 1 : 2), peer.now)
    peer.written()
    peer.send('50 02 00 04', '50 02 00 03').expect('62 02 00 04', '62 02 00 03')
    peer.drop().open().expect(CONNECT_KEEP)
    peer.send('20 02 01 00')
    peer.expect('62 02 00 04', '62 02 00 03', pub('a', 1, 1, true), pub('b', 1, 2, true))
  })
})

describe('MQTT 3.1.1: receiving', () => {
  test('[3.1.1: MQTT-4.6.0-2, MQTT-4.6.0-3] PUBACKs and PUBRECs leave in arrival order, even when acked out of order', () => {
    const peer = new Peer({ ...V4, manualAck: true }).connect()
    peer.send(pub('a', 1, 1), pub('b', 2, 2), pub('c', 1, 3), pub('d', 2, 4)).expectNothing()
    const messages = peer.take('message').map((e) => e.message)
    for (const at of [3, 1, 2, 0]) peer.session.ack(messages[at]!)
    peer.expect('40 02 00 01', '50 02 00 02', '40 02 00 03', '50 02 00 04')
  })

  test('[3.1.1: MQTT-4.5.0-2] every QoS 1/2 PUBLISH is acknowledged whether or not the application takes it', () => {
    const peer = new Peer(V4).connect()
    peer.send(pub('a', 1, 1), pub('a', 2, 2), pub('a', 0))
    // The application never reads the message events: the acks are written all the same.
    peer.expect('40 02 00 01', '50 02 00 02')
    peer.send('62 02 00 02').expect('70 02 00 02')
  })

  test('[3.1.1: MQTT-4.8.0-2] a store that fails while a PUBLISH is handled closes the connection, without acking it', () => {
    class FailingStore extends MemorySessionStore {
      override addIncomingQos2(): void {
        throw new Error('disk full')
      }
    }
    const peer = new Peer({ ...V4, store: new FailingStore() }).connect()
    peer.send(pub('in', 2, 3), pub('next', 1, 4)).expectNothing()
    assert.equal(peer.take('error')[0]?.error.code, 'ERR_INTERNAL')
    assert.equal(peer.take('close').length, 1)
    assert.equal(peer.session.state, 'disconnecting')
  })
})

describe('MQTT 3.1.1: topics and requests', () => {
  test('[3.1.1: MQTT-3.3.2-2, MQTT-4.7.1-1, MQTT-4.7.3-1] a PUBLISH topic with a wildcard, or empty, is refused', () => {
    const peer = new Peer(V4).connect()
    for (const topic of ['a/+', 'a/#', '+', '#', '']) {
      assert.throws(() => peer.session.publish(msg(topic), peer.now), { code: 'ERR_TOPIC_NAME' })
    }
    peer.expectNothing()
  })

  test('[3.1.1: MQTT-4.7.1-2, MQTT-4.7.1-3, MQTT-4.7.3-1, MQTT-4.7.3-2, MQTT-4.7.3-3] topic filter rules; valid filters go out', () => {
    const peer = new Peer(V4).connect()
    const sub = (topic: string) => () => peer.session.subscribe([{ topic, qos: 0 }], undefined, peer.now)
    for (const bad of ['a/#/b', 'a#', '#/a', 'a/b+', '+a/b', 'a/++', '']) {
      assert.throws(sub(bad), { code: 'ERR_TOPIC_FILTER' }, bad)
    }
    assert.throws(sub('a\u0000'), { code: 'ERR_UTF8' })
    assert.throws(sub('a'.repeat(65_536)), { code: 'ERR_UTF8' })
    peer.expectNothing()
    sub('#')()
    sub('a/+/b/#')()
    peer.expect(frame(0x82, id(1), str('#'), '00'), frame(0x82, id(2), str('a/+/b/#'), '00'))
  })

  test('[3.1.1: MQTT-3.8.3-3, MQTT-3.10.3-2] SUBSCRIBE and UNSUBSCRIBE need at least one filter', () => {
    const peer = new Peer(V4).connect()
    assert.throws(() => peer.session.subscribe([], undefined, peer.now), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => peer.session.unsubscribe([], undefined, peer.now), { code: 'ERR_INVALID_ARGUMENT' })
    peer.expectNothing()
  })
})
