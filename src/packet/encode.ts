// encode(): a packet object to its bytes. Each encoder measures the packet exactly, allocates once and
// writes once; invalid packets throw the same typed errors the decoder uses.

import { encodeConnack, encodeConnect } from './encode-connect.js'
import { encodeSuback, encodeSubscribe, encodeUnsuback, encodeUnsubscribe } from './encode-subscribe.js'
import { MalformedPacketError, MqttError, ProtocolError } from './errors.js'
import { checkBoolean, checkBytes, checkPacketId, checkQoS, invalidPacket } from './fields.js'
import { measureProperties, writeProperties } from './property-codec.js'
import { outgoingReasonCode } from './reason-code-rules.js'
import { validateTopicName } from './topic.js'
import type { AuthPacket, DisconnectPacket, Packet, ProtocolVersion, PublishPacket } from './types.js'
import { MAX_STRING_BYTES, utf8Length, writeUtf8 } from './utf8.js'
import { allocatePacket, PROTOCOL_MAX_PACKET_SIZE, varintSize, writeU16 } from './writer.js'

export interface EncodeOptions {
  /** Throw PacketTooLargeError for a packet bigger than this (the peer's Maximum Packet Size). */
  maximumPacketSize?: number
}

type AckPacket = Extract<Packet, { type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' }>

export function encode(packet: Packet, protocolVersion: ProtocolVersion, options?: EncodeOptions): Uint8Array {
  const v = protocolVersion
  if (v !== 3 && v !== 4 && v !== 5) {
    throw new ProtocolError('ERR_PROTOCOL_VERSION', `unknown protocol version ${String(v)}`, { reasonCode: 0x84 })
  }
  const max = options?.maximumPacketSize ?? PROTOCOL_MAX_PACKET_SIZE
  try {
    switch (packet.type) {
      case 'publish':
        return encodePublish(packet, v, max)
      case 'puback':
        return encodeAck(packet, 0x40, v, max)
      case 'pubrec':
        return encodeAck(packet, 0x50, v, max)
      case 'pubrel':
        return encodeAck(packet, 0x62, v, max) // flags 0010 [MQTT-3.6.1-1]
      case 'pubcomp':
        return encodeAck(packet, 0x70, v, max)
      case 'connect':
        return encodeConnect(packet, v, max)
      case 'connack':
        return encodeConnack(packet, v, max)
      case 'subscribe':
        return encodeSubscribe(packet, v, max)
      case 'suback':
        return encodeSuback(packet, v, max)
      case 'unsubscribe':
        return encodeUnsubscribe(packet, v, max)
      case 'unsuback':
        return encodeUnsuback(packet, v, max)
      case 'pingreq':
        return allocatePacket(0xc0, 0, max)
      case 'pingresp':
        return allocatePacket(0xd0, 0, max)
      case 'disconnect':
        return encodeDisconnectOrAuth(packet, 0xe0, v, max)
      case 'auth':
        if (v !== 5) throw new MalformedPacketError('ERR_PACKET_TYPE', 'AUTH exists only in MQTT 5')
        return encodeDisconnectOrAuth(packet, 0xf0, v, max)
      default:
        throw invalidPacket(`unknown packet type ${String((packet as { type: unknown }).type)}`)
    }
  } catch (error) {
    if (error instanceof MqttError) throw error
    throw new MalformedPacketError('ERR_INVALID_PACKET', `cannot encode packet: ${String(error)}`, { cause: error })
  }
}

// Most topic names are plain ASCII. Guessing so, the topic is measured by its length and checked while it is
// copied: one pass instead of measuring, validating and copying (about half the cost of a small PUBLISH). A wrong
// guess or any error encodes again measuring the topic first, so errors keep their usual order.
function encodePublish(p: PublishPacket, v: ProtocolVersion, max: number): Uint8Array {
  try {
    const buf = encodePublishGuessing(p, v, max, true)
    if (buf !== undefined) return buf
  } catch {
    // thrown again below, after the checks that come first
  }
  return encodePublishGuessing(p, v, max, false)!
}

/** Returns undefined when `asciiTopic` guessed wrong. */
function encodePublishGuessing(
  p: PublishPacket,
  v: ProtocolVersion,
  max: number,
  asciiTopic: boolean,
): Uint8Array | undefined {
  const qos = checkQoS(p.qos)
  const dup = checkBoolean(p.dup, 'dup')
  if (dup && qos === 0) throw new MalformedPacketError('ERR_HEADER_FLAGS', 'DUP set on a QoS 0 PUBLISH') // [MQTT-3.3.1-2]
  const retain = checkBoolean(p.retain, 'retain')
  const topic = p.topic
  const guess = asciiTopic && typeof topic === 'string' && topic.length > 0 && topic.length <= MAX_STRING_BYTES
  const topicLength = guess ? topic.length : utf8Length(topic)
  const properties = v === 5 ? p.properties : undefined
  const propertiesSize = measureProperties(properties, 3)
  // MQTT 5 allows an empty topic name when a Topic Alias stands for it (section 3.3.2.3.4).
  if (!guess && (topicLength > 0 || properties?.topicAlias === undefined)) validateTopicName(topic)
  const packetId = qos > 0 ? checkPacketId(p.packetId) : 0
  const payload = checkBytes(p.payload, 'payload')
  let remaining = 2 + topicLength + payload.length
  if (qos > 0) remaining += 2
  if (v === 5) remaining += varintSize(propertiesSize) + propertiesSize
  const buf = allocatePacket(0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0), remaining, max)
  let pos = buf.length - remaining
  if (guess) {
    for (let i = 0; i < topicLength; i++) {
      const c = topic.charCodeAt(i)
      // Not plain: non-ASCII, U+0000 [MQTT-1.5.4-2] or a wildcard [MQTT-3.3.2-2].
      if (c >= 0x80 || c === 0 || c === 0x23 || c === 0x2b) return undefined
      buf[pos + 2 + i] = c
    }
    pos = writeU16(buf, pos, topicLength) + topicLength
  } else pos = writeUtf8(buf, pos, topic)
  if (qos > 0) pos = writeU16(buf, pos, packetId)
  if (v === 5) pos = writeProperties(buf, pos, properties, propertiesSize)
  buf.set(payload, pos)
  return buf
}

function encodeAck(p: AckPacket, firstByte: number, v: ProtocolVersion, max: number): Uint8Array {
  const packetId = checkPacketId(p.packetId)
  if (v < 5) {
    const buf = allocatePacket(firstByte, 2, max)
    writeU16(buf, 2, packetId)
    return buf
  }
  const reasonCode = outgoingReasonCode(p.type, p.reasonCode)
  const propertiesSize = measureProperties(p.properties, firstByte >> 4)
  // Short forms: no Property Length without properties, no Reason Code for Success (section 3.4.2.1).
  const remaining = propertiesSize > 0 ? 3 + varintSize(propertiesSize) + propertiesSize : reasonCode !== 0 ? 3 : 2
  const buf = allocatePacket(firstByte, remaining, max)
  const pos = writeU16(buf, buf.length - remaining, packetId)
  if (remaining > 2) buf[pos] = reasonCode
  if (propertiesSize > 0) writeProperties(buf, pos + 1, p.properties, propertiesSize)
  return buf
}

function encodeDisconnectOrAuth(
  p: DisconnectPacket | AuthPacket,
  firstByte: number,
  v: ProtocolVersion,
  max: number,
): Uint8Array {
  if (v < 5) return allocatePacket(firstByte, 0, max)
  const reasonCode = outgoingReasonCode(p.type, p.reasonCode)
  const propertiesSize = measureProperties(p.properties, firstByte >> 4)
  // Short forms: an empty body for Success without properties (sections 3.14.2.1, 3.15.2.1).
  const remaining = propertiesSize > 0 ? 1 + varintSize(propertiesSize) + propertiesSize : reasonCode !== 0 ? 1 : 0
  const buf = allocatePacket(firstByte, remaining, max)
  const pos = buf.length - remaining
  if (remaining > 0) buf[pos] = reasonCode
  if (propertiesSize > 0) writeProperties(buf, pos + 1, p.properties, propertiesSize)
  return buf
}
