// encode() refuses what cannot go on the wire with the same typed errors the decoder uses.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encode } from '../../src/packet/encode.js'
import { MqttError, PacketTooLargeError } from '../../src/packet/errors.js'
import type { Packet, ProtocolVersion } from '../../src/packet/types.js'

function codeOf(packet: unknown, version: ProtocolVersion = 5, options?: { maximumPacketSize?: number }): string {
  try {
    encode(packet as Packet, version, options)
  } catch (error) {
    assert.ok(error instanceof MqttError, `not an MqttError: ${String(error)}`)
    return error.code
  }
  assert.fail('did not throw')
}

const publish = { type: 'publish', topic: 'a', payload: new Uint8Array(4), qos: 0, retain: false, dup: false }

test('publish: wildcard topic, QoS 3, missing packet id, DUP on QoS 0, wrong payload type', () => {
  assert.equal(codeOf({ ...publish, topic: 'a/+' }), 'ERR_TOPIC_NAME')
  assert.equal(codeOf({ ...publish, topic: '' }), 'ERR_TOPIC_NAME')
  assert.equal(codeOf({ ...publish, qos: 3 }), 'ERR_QOS')
  assert.equal(codeOf({ ...publish, qos: 1 }), 'ERR_PACKET_ID')
  assert.equal(codeOf({ ...publish, qos: 1, packetId: 0 }), 'ERR_PACKET_ID')
  assert.equal(codeOf({ ...publish, dup: true }), 'ERR_HEADER_FLAGS')
  assert.equal(codeOf({ ...publish, payload: 'text' }), 'ERR_INVALID_PACKET')
  assert.equal(codeOf({ ...publish, retain: 1 }), 'ERR_INVALID_PACKET')
})

test('publish: a bad topic is reported before the fields checked after it, and a non-ASCII topic still encodes', () => {
  assert.equal(codeOf({ ...publish, topic: 'a/#', qos: 1 }), 'ERR_TOPIC_NAME')
  assert.equal(codeOf({ ...publish, topic: 'a\u0000', payload: 'text' }), 'ERR_UTF8')
  assert.equal(codeOf({ ...publish, topic: 'a/+' }, 4, { maximumPacketSize: 4 }), 'ERR_TOPIC_NAME')
  const bytes = encode({ ...publish, topic: 'a/é' } as Packet, 4)
  assert.deepEqual([...bytes.subarray(0, 8)], [0x30, 10, 0, 4, 0x61, 0x2f, 0xc3, 0xa9])
})

test('an empty topic is allowed only with a Topic Alias, only in MQTT 5', () => {
  assert.equal(encode({ ...publish, topic: '', properties: { topicAlias: 1 } } as Packet, 5).length, 12)
  assert.equal(codeOf({ ...publish, topic: '', properties: { topicAlias: 1 } }, 4), 'ERR_TOPIC_NAME')
})

test('strings: U+0000, lone surrogates and over 65,535 bytes', () => {
  assert.equal(codeOf({ ...publish, topic: 'a\u0000b' }), 'ERR_UTF8')
  assert.equal(codeOf({ ...publish, topic: 'a\ud800' }), 'ERR_UTF8')
  assert.equal(codeOf({ ...publish, topic: '\udc00a' }), 'ERR_UTF8')
  assert.equal(codeOf({ ...publish, topic: 'é'.repeat(32768) }), 'ERR_UTF8')
  assert.equal(encode({ ...publish, topic: 'a'.repeat(65535) } as Packet, 4).length, 4 + 65537 + 4)
})

test('properties: not allowed here, duplicate subscription identifiers, forbidden values, unknown names', () => {
  assert.equal(codeOf({ ...publish, properties: { receiveMaximum: 5 } }), 'ERR_PROPERTY_NOT_ALLOWED')
  assert.equal(codeOf({ type: 'disconnect', properties: { topicAlias: 1 } }), 'ERR_PROPERTY_NOT_ALLOWED')
  const subscribe = { type: 'subscribe', packetId: 1, subscriptions: [{ topic: 'a', qos: 0 }] }
  assert.equal(codeOf({ ...subscribe, properties: { subscriptionIdentifier: [1, 2] } }), 'ERR_PROPERTY_DUPLICATE')
  assert.equal(codeOf({ ...subscribe, properties: { subscriptionIdentifier: 0 } }), 'ERR_PROPERTY_VALUE')
  assert.equal(codeOf({ ...publish, properties: { topicAlias: 0 } }), 'ERR_PROPERTY_VALUE')
  assert.equal(
    codeOf({ type: 'connack', sessionPresent: false, reasonCode: 0, properties: { maximumQoS: 2 } }),
    'ERR_PROPERTY_VALUE',
  )
  const connect = { type: 'connect', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 0 }
  assert.equal(codeOf({ ...connect, properties: { receiveMaximum: 0 } }), 'ERR_PROPERTY_VALUE')
  assert.equal(codeOf({ ...connect, properties: { maximumPacketSize: 0 } }), 'ERR_PROPERTY_VALUE')
  assert.equal(codeOf({ ...connect, properties: { sessionExpiry: 1 } }), 'ERR_INVALID_PACKET')
  const will = { topic: 'w', payload: new Uint8Array(0), qos: 0, retain: false, properties: { topicAlias: 1 } }
  assert.equal(codeOf({ ...connect, will }), 'ERR_PROPERTY_NOT_ALLOWED')
})

test('connect: password without user name before MQTT 5, version mismatch', () => {
  const connect = { type: 'connect', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0 }
  assert.equal(codeOf({ ...connect, password: new Uint8Array(1) }, 4), 'ERR_CONNECT_FLAGS')
  assert.equal(codeOf(connect, 5), 'ERR_INVALID_PACKET')
})

test('AUTH before MQTT 5, invalid reason codes, empty lists, not an object', () => {
  assert.equal(codeOf({ type: 'auth' }, 4), 'ERR_PACKET_TYPE')
  assert.equal(codeOf({ type: 'puback', packetId: 1, reasonCode: 0x92 }), 'ERR_REASON_CODE')
  assert.equal(codeOf({ type: 'subscribe', packetId: 1, subscriptions: [] }), 'ERR_EMPTY_LIST')
  assert.equal(codeOf({ type: 'unsubscribe', packetId: 1, topics: [] }), 'ERR_EMPTY_LIST')
  assert.equal(codeOf({ type: 'suback', packetId: 1, reasonCodes: [] }), 'ERR_EMPTY_LIST')
  assert.equal(codeOf(null), 'ERR_INVALID_PACKET')
  assert.equal(codeOf({ type: 'nope' }), 'ERR_INVALID_PACKET')
})

test('subscription options: retain handling 3, No Local on a shared subscription', () => {
  const sub = (options: object) => ({
    type: 'subscribe',
    packetId: 1,
    subscriptions: [{ topic: 'a', qos: 0, ...options }],
  })
  assert.equal(codeOf(sub({ retainHandling: 3 })), 'ERR_SUBSCRIPTION_OPTIONS')
  assert.equal(codeOf(sub({ topic: '$share/g/a', noLocal: true })), 'ERR_SUBSCRIPTION_OPTIONS')
  assert.equal(codeOf(sub({ topic: 'a/#/b' })), 'ERR_TOPIC_FILTER')
})

test('packet size: the maximumPacketSize option and the protocol limit on Remaining Length', () => {
  assert.throws(
    () => encode({ ...publish } as Packet, 4, { maximumPacketSize: 8 }),
    (error) => error instanceof PacketTooLargeError && error.size === 9 && error.limit === 8,
  )
  assert.equal(encode({ ...publish } as Packet, 4, { maximumPacketSize: 9 }).length, 9)
  // A stand-in payload that claims the largest length, so that no 256 MB buffer is needed.
  const huge = Object.create(Uint8Array.prototype, { length: { value: 268_435_455 } })
  assert.equal(codeOf({ ...publish, payload: huge }, 4), 'ERR_PACKET_TOO_LARGE')
})
