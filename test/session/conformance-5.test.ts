// MQTT 5.0 client statements checked byte for byte against the scripted peer: the QoS flows step by step,
// CONNECT ordering, Clean Start, keepalive, DISCONNECT, re-authentication. Ids are 5.0's (docs/conformance.md).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { QoS } from '../../src/packet/types.js'
import type { Authenticator } from '../../src/session/api.js'
import { frame, Peer, raw, str, utf8 } from './peer.js'

const CONNECT = frame(0x10, str('MQTT'), '05 02 00 3c 00', str('c'))
const msg = (topic: string, qos: QoS = 0, text = 'm') => ({ topic, payload: utf8(text), qos, retain: false })
const id = (n: number) =>
  n
    .toString(16)
    .padStart(4, '0')
    .replace(/(..)(..)/, '$1 $2')
/** An MQTT 5 PUBLISH without properties as hex. */
const pub = (topic: string, qos: QoS, packetId?: number, dup = false, text = 'm') =>
  frame(0x30 | (dup ? 8 : 0) | (qos << 1), str(topic), packetId === undefined ? '' : id(packetId), '00', raw(text))
const kept = { clientId: 'c', properties: { sessionExpiryInterval: 60 } }
const CONNECT_KEPT = frame(0x10, str('MQTT'), '05 00 00 3c 05 11 00 00 00 3c', str('c'))

describe('MQTT 5: sending PUBLISH', () => {
  test('[MQTT-2.2.1-2] [MQTT-3.3.1-2] [MQTT-4.3.1-1] [MQTT-3.3.2-1] QoS 0: topic first, no packet id, DUP 0', () => {
    const peer = new Peer({ clientId: 'c' }).connect()
    peer.session.publish(msg('a/b', 0, 'xy'), peer.now)
    peer.expect(`30 08 ${str('a/b')} 00 ${raw('xy')}`)
  })

  test('[MQTT-4.3.2-1] [MQTT-4.3.2-2] [MQTT-4.3.2-3] QoS 1: a free id, QoS 1 and DUP 0, pending until its own PUBACK', () => {
    const peer = new Peer({ clientId: 'c' }).connect()
    const first = peer.session.publish(msg('a', 1), peer.now)
    const second = peer.session.publish(msg('b', 1), peer.now)
    assert.deepEqual([first.packetId, second.packetId], [1, 2])
    peer.expect(pub('a', 1, 1), pub('b', 1, 2))
    peer.advance(30_000).written()
    assert.deepEqual(peer.take('publish-done'), [])
    peer.send('40 02 00 02')
    assert.deepEqual(peer.take('publish-done'), [
      { type: 'publish-done', token: second.token, packetId: 2, reasonCode: 0 },
    ])
    // Id 2 is free again and is the next one handed out; id 1 is still pending.
    assert.equal(peer.session.publish(msg('c', 1), peer.now).packetId, 3)
    peer.send('40 02 00 01')
    assert.equal(peer.take('publish-done')[0]?.token, first.token)
  })

  test('[MQTT-4.3.3-1] [MQTT-4.3.3-2] [MQTT-4.3.3-3] [MQTT-4.3.3-4] [MQTT-4.3.3-5] [MQTT-2.2.1-5] [MQTT-3.6.1-1] QoS 2 step by step', () => {
    const peer = new Peer({ clientId: 'c' }).connect()
    const { token, packetId } = peer.session.publish(msg('a', 2), peer.now)
    assert.equal(packetId, 1)
    peer.expect(pub('a', 2, 1))
    peer.advance(10_000).written()
    assert.deepEqual(peer.take('publish-done'), []) // pending until PUBREC
    peer.send('50 02 00 01').expect('62 02 00 01') // PUBREL, flags 0010, the same id
    peer.advance(10_000).written()
    assert.deepEqual(peer.take('publish-done'), []) // pending until PUBCOMP
    peer.send('70 02 00 01')
    assert.deepEqual(peer.take('publish-done'), [{ type: 'publish-done', token, packetId: 1, reasonCode: 0 }])
  })

  test('[MQTT-3.3.1-1] [MQTT-4.3.3-6] [MQTT-4.3.3-7] re-sent with DUP 1; PUBREL, never the PUBLISH, after PUBREL; an expired QoS 2 message is still sent', () => {
    const peer = new Peer(kept).connect()
    const expiring = { ...msg('x', 2), properties: { messageExpiryInterval: 1 } }
    peer.session.publish(expiring, peer.now)
    peer.session.publish(msg('y', 2), peer.now)
    peer.expect(frame(0x34, str('x'), id(1), '05 02 00 00 00 01', raw('m')), pub('y', 2, 2))
    peer.send('50 02 00 02').expect('62 02 00 02')
    peer.drop().advance(5000).open().expect(CONNECT_KEPT)
    peer.send('20 03 01 00 00')
    peer.expect('62 02 00 02', frame(0x3c, str('x'), id(1), '05 02 00 00 00 01', raw('m')))
  })
})

describe('MQTT 5: receiving PUBLISH', () => {
  test('[MQTT-3.3.4-1] [MQTT-4.3.2-4] [MQTT-4.3.3-8] [MQTT-4.3.3-11] [MQTT-4.3.3-12] QoS 0 unanswered, QoS 1 PUBACK, QoS 2 PUBREC/PUBCOMP, then the id is new', () => {
    const peer = new Peer({ clientId: 'c' }).connect()
    peer.send(pub('a', 0)).expectNothing()
    peer.send(pub('a', 1, 0x1234)).expect('40 02 12 34')
    peer.send(pub('a', 2, 0x0102)).expect('50 02 01 02')
    peer.send('62 02 01 02').expect('70 02 01 02')
    assert.equal(peer.take('message').length, 3)
    peer.send(pub('a', 2, 0x0102, false, 'new')).expect('50 02 01 02')
    assert.deepEqual(
      peer.take('message').map((e) => e.message.payload),
      [utf8('new')],
    )
  })

  test('[MQTT-4.6.0-3] PUBRECs leave in the order the QoS 2 PUBLISHes arrived, even when acked out of order', () => {
    const peer = new Peer({ clientId: 'c', manualAck: true }).connect()
    peer.send(pub('a', 2, 5), pub('b', 2, 3), pub('c', 2, 9)).expectNothing()
    const messages = peer.take('message').map((e) => e.message)
    for (const at of [2, 1]) peer.session.ack(messages[at]!)
    peer.expectNothing()
    peer.session.ack(messages[0]!)
    peer.expect('50 02 00 05', '50 02 00 03', '50 02 00 09')
  })

  test('[MQTT-4.5.0-2] every QoS 1/2 PUBLISH is acknowledged whether or not the application takes it', () => {
    const peer = new Peer({ clientId: 'c' }).connect()
    peer.send(pub('a', 1, 1), pub('a', 2, 2))
    peer.expect('40 02 00 01', '50 02 00 02')
    peer.send('62 02 00 02').expect('70 02 00 02')
  })

  test('[MQTT-1.5.4-3] an incoming EF BB BF stays in the topic and in string properties', () => {
    const peer = new Peer({ clientId: 'c' }).connect()
    peer.send(frame(0x30, '00 04 ef bb bf 61', `06 03 00 03 ef bb bf`, '78'))
    const [event] = peer.take('message')
    assert.equal(event?.message.topic, '\ufeffa')
    assert.equal(event?.message.properties?.contentType, '\ufeff')
  })

  test('[MQTT-1.5.7-1] a User Property whose key or value is ill-formed is never sent, and is malformed when received', () => {
    const peer = new Peer({ clientId: 'c' }).connect()
    for (const pair of [
      ['k\u0000', 'v'],
      ['k', 'v\u0000'],
      ['\ud800', 'v'],
      ['k', '\udc00'],
    ] as [string, string][]) {
      const { token } = peer.session.publish({ ...msg('a'), properties: { userProperties: [pair] } }, peer.now)
      peer.expectNothing()
      assert.deepEqual(
        peer.take('publish-failed').map((e) => [e.token, e.error.code]),
        [[token, 'ERR_UTF8']],
      )
    }
    for (const pair of ['26 00 01 00 00 01 76', '26 00 01 6b 00 01 00']) {
      const receiver = new Peer({ clientId: 'c' }).connect()
      receiver.send(frame(0x30, str('a'), `07 ${pair}`, '78')).expect('e0 01 81')
      assert.equal(receiver.take('error')[0]?.error.code, 'ERR_UTF8')
      assert.equal(receiver.take('message').length, 0)
    }
  })
})

describe('MQTT 5: connection and session', () => {
  test('[MQTT-3.1.0-1] CONNECT is the first packet even when messages and requests were queued before', () => {
    const peer = new Peer({ clientId: 'c' })
    peer.session.publish(msg('a', 1), peer.now)
    peer.session.subscribe([{ topic: 's', qos: 0 }], undefined, peer.now)
    peer.open().expect(CONNECT)
    peer.send('20 03 00 00 00').expect(frame(0x82, id(2), '00', str('s'), '00'), pub('a', 1, 1))
  })

  test('[MQTT-3.1.2-4] Clean Start 1 on a reconnect: the local session is dropped (no PUBREL again, incoming ids forgotten)', () => {
    const peer = new Peer({ ...kept, cleanOnReconnect: true }).connect()
    const q2 = peer.session.publish(msg('two', 2), peer.now)
    peer.written()
    peer.send('50 02 00 01').expect('62 02 00 01')
    peer.send(pub('in', 2, 3)).expect('50 02 00 03')
    peer.take('message')
    peer
      .drop()
      .open()
      .expect(frame(0x10, str('MQTT'), '05 02 00 3c 05 11 00 00 00 3c', str('c')))
    peer.send('20 03 00 00 00').expectNothing()
    assert.deepEqual(peer.take('publish-done'), [{ type: 'publish-done', token: q2.token, packetId: 1 }])
    peer.send(pub('in', 2, 3)).expect('50 02 00 03')
    assert.equal(peer.take('message').length, 1)
  })

  test('[MQTT-4.1.0-1] session state is kept for as long as the connection is open: an hour-old flow completes', () => {
    const peer = new Peer({ ...kept, keepalive: 0 }).connect()
    const { token } = peer.session.publish(msg('a', 2), peer.now)
    peer.written()
    peer.send(pub('in', 2, 5)).expect('50 02 00 05')
    peer.take('message')
    peer.advance(3_600_000).expectNothing()
    peer.send(pub('in', 2, 5, true)).expect('50 02 00 05')
    assert.equal(peer.take('message').length, 0)
    peer.send('50 02 00 01').expect('62 02 00 01')
    peer.send('70 02 00 01')
    assert.equal(peer.take('publish-done')[0]?.token, token)
  })

  test('[MQTT-3.1.2-20] PINGREQ exactly when the Keep Alive passes without a packet sent', () => {
    const peer = new Peer({ clientId: 'c', keepalive: 7 }).connect()
    peer.advance(6999).expectNothing()
    peer.advance(1).expect('c0 00')
  })

  test('[MQTT-3.14.4-2] [MQTT-3.14.4-1] after DISCONNECT the client asks to close and writes nothing more', () => {
    const peer = new Peer({ clientId: 'c', keepalive: 5 }).connect()
    peer.session.disconnect(peer.now)
    peer.expect('e0 00')
    assert.deepEqual(peer.types(), ['close'])
    assert.equal(peer.session.state, 'disconnecting')
    peer.session.publish(msg('a'), peer.now)
    peer.advance(60_000).expectNothing()
  })

  test('[MQTT-3.14.2-4] a DISCONNECT too large for the server loses its User Properties too', () => {
    const peer = new Peer({ clientId: 'c' }).connect({}, { maximumPacketSize: 8 })
    peer.session.disconnect(peer.now, {
      reasonCode: 0x04,
      properties: { reasonString: 'why', userProperties: [['key', 'value']] },
    })
    peer.expect('e0 01 04')
  })
})

describe('MQTT 5: re-authentication', () => {
  test('[MQTT-4.12.1-2] a re-authentication the authenticator refuses ends the connection: DISCONNECT 0x87, close', () => {
    let calls = 0
    const authenticator: Authenticator = {
      method: 'M',
      initialData: () => utf8('a'),
      challenge() {
        calls++
        throw new Error('server proof does not verify')
      },
    }
    const peer = new Peer({ clientId: 'c', authenticator }).connect({}, { authenticationMethod: 'M' })
    peer.session.reauthenticate(peer.now)
    peer.expect(frame(0xf0, '19', `08 15 ${str('M')} 16 ${str('a')}`))
    peer.send(frame(0xf0, '18', `04 15 ${str('M')}`)).expect('e0 01 87')
    assert.equal(calls, 1)
    assert.deepEqual(peer.types(), ['error', 'close'])
  })
})
