// Server-to-client PUBLISH flows: QoS 0/1/2, duplicates, PUBREL handling, manual ack ordering, incoming
// topic aliases and our own Maximum Packet Size.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PublishPacket, QoS } from '../../src/packet/types.js'
import type { ReceivedMessage } from '../../src/session/api.js'
import { frame, Peer, raw, str, utf8 } from './peer.js'

const publish = (topic: string, qos: QoS, packetId?: number, extra: Partial<PublishPacket> = {}): PublishPacket => ({
  type: 'publish',
  topic,
  payload: utf8('message'),
  qos,
  retain: false,
  dup: false,
  ...(packetId === undefined ? {} : { packetId }),
  ...extra,
})

describe('incoming QoS 0/1/2', () => {
  test('[3.1.1: MQTT-3.3.4-1, MQTT-4.3.2-2] 03-publish-b2c-qos1: delivered, then PUBACK with the same id', () => {
    const peer = new Peer({ protocolVersion: 4 }).connect()
    peer.send(frame(0x32, str('pub/qos1/receive'), '00 7b', raw('message')))
    const [event] = peer.take('message')
    assert.equal(event?.message.topic, 'pub/qos1/receive')
    assert.equal(event?.message.qos, 1)
    assert.equal(event?.message.packetId, 123)
    assert.deepEqual(event?.message.payload, utf8('message'))
    peer.expect('40 02 00 7b')
  })

  test('[MQTT-4.3.2-5] a QoS 1 PUBLISH reusing an acknowledged id is a new message', () => {
    const peer = new Peer().connect()
    peer.send(publish('a', 1, 5)).expect('40 02 00 05')
    peer.send(publish('a', 1, 5, { dup: true })).expect('40 02 00 05')
    assert.equal(peer.take('message').length, 2)
  })

  test('[3.1.1: MQTT-4.3.3-2] 03-publish-b2c-qos2: PUBREC, duplicate not re-delivered, PUBREL -> PUBCOMP, id free again', () => {
    const peer = new Peer({ protocolVersion: 4 }).connect()
    peer.send(frame(0x34, str('pub/qos2/receive'), '34 6f', raw('message'))).expect('50 02 34 6f')
    assert.equal(peer.take('message').length, 1)
    peer.send(frame(0x3c, str('pub/qos2/receive'), '34 6f', raw('message'))).expect('50 02 34 6f')
    assert.equal(peer.take('message').length, 0)
    peer.send('62 02 34 6f').expect('70 02 34 6f')
    peer.send(frame(0x34, str('pub/qos2/receive'), '34 6f', raw('again'))).expect('50 02 34 6f')
    assert.equal(peer.take('message').length, 1)
  })

  test('[MQTT-4.3.3-13] the QoS 2 exchange completes even for a message whose expiry has passed', () => {
    const peer = new Peer().connect()
    peer.send(publish('a', 2, 1, { properties: { messageExpiryInterval: 1 } })).expect('50 02 00 01')
    peer.advance(5000).written()
    peer.send('62 02 00 01').expect('70 02 00 01')
  })

  test('QoS 0 is delivered without an ack; a QoS above the subscription is accepted', () => {
    const peer = new Peer().connect()
    peer.send(publish('a', 0)).expectNothing()
    peer.send(publish('a', 2, 9)).expect('50 02 00 09')
    assert.equal(peer.take('message').length, 2)
  })

  test('a PUBREL for an unknown id is answered: PUBCOMP 0x92 in MQTT 5, PUBCOMP in 3.1.1', () => {
    new Peer().connect().send('62 02 00 44').expect('70 03 00 44 92')
    new Peer({ protocolVersion: 4 }).connect().send('62 02 00 44').expect('70 02 00 44')
  })

  test('[MQTT-4.3.3-10] [MQTT-3.2.2-5] incoming QoS 2 ids survive a reconnect with the session; without it they are forgotten', () => {
    const peer = new Peer({ properties: { sessionExpiryInterval: 60 } }).connect()
    peer.send(publish('a', 2, 3)).expect('50 02 00 03')
    peer.take('message')
    peer.drop().connect({ sessionPresent: true })
    peer.send(publish('a', 2, 3, { dup: true })).expect('50 02 00 03')
    assert.equal(peer.take('message').length, 0)
    peer.drop().connect({ sessionPresent: false })
    peer.send(publish('a', 2, 3)).expect('50 02 00 03')
    assert.equal(peer.take('message').length, 1)
  })
})

describe('manual ack', () => {
  test('[MQTT-4.6.0-2] acks go out in arrival order even when the application acks out of order', () => {
    const peer = new Peer({ manualAck: true }).connect()
    peer.send(publish('a', 1, 1), publish('b', 1, 2), publish('c', 2, 3)).expectNothing()
    const messages = peer.take('message').map((e) => e.message)
    assert.equal(messages.length, 3)
    peer.session.ack(messages[1]!)
    peer.session.ack(messages[2]!)
    peer.expectNothing()
    peer.session.ack(messages[0]!)
    peer.expect('40 02 00 01', '40 02 00 02', '50 02 00 03')
    // Acking again does nothing.
    peer.session.ack(messages[0]!)
    peer.expectNothing()
  })

  test('[MQTT-4.3.3-9] a failing PUBREC from ack() frees the id: the next PUBLISH with it is new', () => {
    const peer = new Peer({ manualAck: true }).connect()
    peer.send(publish('a', 2, 7))
    const [first] = peer.take('message')
    peer.send(publish('a', 2, 7, { dup: true })).expectNothing() // waiting for the application
    assert.equal(peer.take('message').length, 0)
    peer.session.ack(first!.message, 0x80)
    peer.expect('50 03 00 07 80')
    peer.send(publish('a', 2, 7))
    assert.equal(peer.take('message').length, 1)
    assert.throws(() => peer.session.ack(first!.message, 0x92), { code: 'ERR_INVALID_ARGUMENT' })
  })

  test('acks made while offline go out after the CONNACK; QoS 1 acks pending at a drop are dropped (the server re-sends)', () => {
    const peer = new Peer({ manualAck: true, properties: { sessionExpiryInterval: 9 } }).connect()
    peer.send(publish('a', 1, 1), publish('b', 2, 2))
    const [m1, m2] = peer.take('message').map((e) => e.message) as [ReceivedMessage, ReceivedMessage]
    peer.drop()
    peer.session.ack(m1)
    peer.session.ack(m2)
    peer.connect({ sessionPresent: true })
    peer.expect('50 02 00 02')
  })
})

describe('incoming topic aliases', () => {
  test('[MQTT-3.3.2-10] aliases from 1 to our Topic Alias Maximum are resolved', () => {
    const peer = new Peer({ properties: { topicAliasMaximum: 2 } }).connect()
    peer.send(publish('x/y', 0, undefined, { properties: { topicAlias: 2 } }))
    peer.send(publish('', 0, undefined, { properties: { topicAlias: 2 } }))
    const topics = peer.take('message').map((e) => e.message.topic)
    assert.deepEqual(topics, ['x/y', 'x/y'])
  })

  for (const [name, packet] of [
    ['above our maximum', publish('a', 0, undefined, { properties: { topicAlias: 3 } })],
    ['never defined', publish('', 0, undefined, { properties: { topicAlias: 1 } })],
  ] as const) {
    test(`an alias ${name}: DISCONNECT 0x94 Topic Alias invalid`, () => {
      const peer = new Peer({ properties: { topicAliasMaximum: 2 } }).connect()
      peer.send(packet).expect('e0 01 94')
      assert.equal(peer.take('error')[0]?.error.code, 'ERR_TOPIC_ALIAS_INVALID')
      assert.equal(peer.take('close').length, 1)
    })
  }

  test('an alias when we allowed none, and alias 0, are invalid', () => {
    const none = new Peer().connect()
    none.send(publish('a', 0, undefined, { properties: { topicAlias: 1 } })).expect('e0 01 94')
    const zero = new Peer({ properties: { topicAliasMaximum: 2 } }).connect()
    zero.send(frame(0x30, str('a'), '03 23 00 00', raw('m')))
    assert.match(zero.written(), /^e0 01 (94|81|82)$/)
    assert.equal(zero.take('error').length, 1)
  })

  test('[MQTT-3.3.2-7] incoming aliases are forgotten on a new connection', () => {
    const peer = new Peer({ properties: { topicAliasMaximum: 2 } }).connect()
    peer.send(publish('a', 0, undefined, { properties: { topicAlias: 1 } }))
    peer.drop().connect()
    peer.send(publish('', 0, undefined, { properties: { topicAlias: 1 } })).expect('e0 01 94')
  })
})

describe('our Maximum Packet Size', () => {
  test('a packet above the CONNECT Maximum Packet Size ends the connection with DISCONNECT 0x95', () => {
    const peer = new Peer({ properties: { maximumPacketSize: 32 } }).connect()
    peer.send({ ...publish('a', 0), payload: new Uint8Array(40) }).expect('e0 01 95')
    const [error] = peer.take('error')
    assert.equal(error?.error.code, 'ERR_PACKET_TOO_LARGE')
    assert.equal(error?.error.reasonCode, 0x95)
    assert.equal(peer.take('message').length, 0)
  })
})
