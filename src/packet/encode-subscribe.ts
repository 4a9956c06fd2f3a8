// Encoders for SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (MQTT 5.0 sections 3.8-3.11).
import { ProtocolError } from './errors.js'
import { checkArray, checkPacketId, checkU8 } from './fields.js'
import { measureProperties, writeProperties } from './property-codec.js'
import { checkReasonCode } from './reason-code-rules.js'
import { encodeSubscriptionOptions } from './subscription-options.js'
import { validateTopicFilter } from './topic.js'
import type { ProtocolVersion, SubackPacket, SubscribePacket, UnsubackPacket, UnsubscribePacket } from './types.js'
import { utf8Length, writeUtf8 } from './utf8.js'
import { allocatePacket, varintSize, writeU16 } from './writer.js'

function nonEmpty<T>(value: T[], field: string): T[] {
  const list = checkArray(value, field) as T[]
  if (list.length === 0) throw new ProtocolError('ERR_EMPTY_LIST', `${field} is empty`) // [MQTT-3.8.3-2], [MQTT-3.10.3-2]
  return list
}

/** Packet id, then (MQTT 5) the properties: the variable header these four packets share. */
function variableHeaderSize(v: ProtocolVersion, propertiesSize: number): number {
  return v === 5 ? 2 + varintSize(propertiesSize) + propertiesSize : 2
}

function writeVariableHeader(
  buf: Uint8Array,
  remaining: number,
  packetId: number,
  p: { properties?: SubscribePacket['properties'] },
  v: ProtocolVersion,
  propertiesSize: number,
): number {
  const pos = writeU16(buf, buf.length - remaining, packetId)
  return v === 5 ? writeProperties(buf, pos, p.properties, propertiesSize) : pos
}

export function encodeSubscribe(p: SubscribePacket, v: ProtocolVersion, max: number): Uint8Array {
  const packetId = checkPacketId(p.packetId)
  const subscriptions = nonEmpty(p.subscriptions, 'subscriptions')
  const propertiesSize = v === 5 ? measureProperties(p.properties, 8) : 0
  let remaining = variableHeaderSize(v, propertiesSize)
  for (const subscription of subscriptions) {
    remaining += 3 + utf8Length(subscription.topic)
    validateTopicFilter(subscription.topic)
    encodeSubscriptionOptions(subscription, v)
  }
  const buf = allocatePacket(0x82, remaining, max) // flags 0010 [MQTT-3.8.1-1]
  let pos = writeVariableHeader(buf, remaining, packetId, p, v, propertiesSize)
  for (const subscription of subscriptions) {
    pos = writeUtf8(buf, pos, subscription.topic)
    buf[pos++] = encodeSubscriptionOptions(subscription, v)
  }
  return buf
}

export function encodeUnsubscribe(p: UnsubscribePacket, v: ProtocolVersion, max: number): Uint8Array {
  const packetId = checkPacketId(p.packetId)
  const topics = nonEmpty(p.topics, 'topics')
  const propertiesSize = v === 5 ? measureProperties(p.properties, 10) : 0
  let remaining = variableHeaderSize(v, propertiesSize)
  for (const topic of topics) {
    remaining += 2 + utf8Length(topic)
    validateTopicFilter(topic)
  }
  const buf = allocatePacket(0xa2, remaining, max) // flags 0010 [MQTT-3.10.1-1]
  let pos = writeVariableHeader(buf, remaining, packetId, p, v, propertiesSize)
  for (const topic of topics) pos = writeUtf8(buf, pos, topic)
  return buf
}

function encodeAckList(
  p: SubackPacket | UnsubackPacket,
  firstByte: number,
  v: ProtocolVersion,
  max: number,
): Uint8Array {
  const packetId = checkPacketId(p.packetId)
  // A 3.1 / 3.1.1 UNSUBACK carries no reason codes.
  const codes = p.type === 'unsuback' && v < 5 ? [] : nonEmpty(p.reasonCodes, 'reasonCodes')
  for (const code of codes) checkReasonCode(p.type, checkU8(code, 'reasonCodes[]'), v)
  const propertiesSize = v === 5 ? measureProperties(p.properties, firstByte >> 4) : 0
  const remaining = variableHeaderSize(v, propertiesSize) + codes.length
  const buf = allocatePacket(firstByte, remaining, max)
  const pos = writeVariableHeader(buf, remaining, packetId, p, v, propertiesSize)
  buf.set(codes, pos)
  return buf
}

export function encodeSuback(p: SubackPacket, v: ProtocolVersion, max: number): Uint8Array {
  return encodeAckList(p, 0x90, v, max)
}

export function encodeUnsuback(p: UnsubackPacket, v: ProtocolVersion, max: number): Uint8Array {
  return encodeAckList(p, 0xb0, v, max)
}
