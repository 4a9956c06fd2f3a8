// parsePacket(): one complete frame body to a packet object in the normal form (see the golden tests).
import { MalformedPacketError } from './errors.js'
import { parseConnack, parseConnect } from './parse-connect.js'
import { parseSuback, parseSubscribe, parseUnsuback, parseUnsubscribe, readPacketId } from './parse-subscribe.js'
import { readProperties } from './property-codec.js'
import { Reader } from './reader.js'
import { checkReasonCode } from './reason-code-rules.js'
import { validateTopicName } from './topic.js'
import type { AuthPacket, DisconnectPacket, Packet, ProtocolVersion, PublishPacket, QoS } from './types.js'

type AckType = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'
const ACK_TYPES: readonly AckType[] = ['puback', 'pubrec', 'pubrel', 'pubcomp']

/**
 * Checks the first byte of a fixed header: packet type and the flag bits [MQTT-2.1.3-1]. Runs before the
 * rest of the frame has arrived.
 */
export function checkFirstByte(firstByte: number, v: ProtocolVersion): void {
  const type = firstByte >> 4
  const flags = firstByte & 0x0f
  if (type === 0 || (type === 15 && v < 5)) {
    throw new MalformedPacketError('ERR_PACKET_TYPE', `packet type ${type} is not valid at protocol level ${v}`)
  }
  if (type === 3) {
    if ((flags & 0x06) === 0x06) throw new MalformedPacketError('ERR_QOS', 'PUBLISH with QoS 3') // [MQTT-3.3.1-4]
    if ((flags & 0x0e) === 0x08) throw new MalformedPacketError('ERR_HEADER_FLAGS', 'DUP on QoS 0') // [MQTT-3.3.1-2]
    return
  }
  const required = type === 6 || type === 8 || type === 10 ? 0x02 : 0
  if (flags !== required) {
    throw new MalformedPacketError('ERR_HEADER_FLAGS', `flags ${flags} are invalid for packet type ${type}`)
  }
}

/** Parses a frame body, bytes [start, end) of `buf`, whose first byte passed checkFirstByte. */
export function parsePacket(
  firstByte: number,
  buf: Uint8Array,
  start: number,
  end: number,
  v: ProtocolVersion,
): Packet {
  const r = new Reader(buf, start, end)
  const type = firstByte >> 4
  switch (type) {
    case 1:
      return parseConnect(r)
    case 2:
      return parseConnack(r, v)
    case 3:
      return parsePublish(firstByte, r, v)
    case 4:
    case 5:
    case 6:
    case 7:
      return parseAck(ACK_TYPES[type - 4]!, type, r, v)
    case 8:
      return parseSubscribe(r, v)
    case 9:
      return parseSuback(r, v)
    case 10:
      return parseUnsubscribe(r, v)
    case 11:
      return parseUnsuback(r, v)
    case 12:
      r.expectEnd()
      return { type: 'pingreq' }
    case 13:
      r.expectEnd()
      return { type: 'pingresp' }
    default:
      return parseDisconnectOrAuth(type === 14 ? 'disconnect' : 'auth', type, r, v)
  }
}

function parsePublish(firstByte: number, r: Reader, v: ProtocolVersion): PublishPacket {
  const qos = ((firstByte >> 1) & 0x03) as QoS
  const topic = r.utf8()
  const packetId = qos > 0 ? readPacketId(r) : 0
  const properties = v === 5 ? readProperties(r, 3) : undefined
  // MQTT 5 allows an empty topic name when a Topic Alias stands for it (section 3.3.2.3.4).
  if (topic.length > 0 || properties?.topicAlias === undefined) validateTopicName(topic)
  const packet: PublishPacket = {
    type: 'publish',
    topic,
    payload: r.rest(),
    qos,
    retain: (firstByte & 0x01) !== 0,
    dup: (firstByte & 0x08) !== 0,
  }
  if (qos > 0) packet.packetId = packetId
  if (properties !== undefined) packet.properties = properties
  return packet
}

function parseAck(type: AckType, typeNumber: number, r: Reader, v: ProtocolVersion): Packet {
  const packetId = readPacketId(r)
  if (v < 5) {
    r.expectEnd()
    return { type, packetId }
  }
  // Short forms: Reason Code 0 when absent, no properties when the Property Length is absent (section 3.4.2.1).
  const reasonCode = r.remaining > 0 ? r.u8() : 0
  checkReasonCode(type, reasonCode, v)
  const properties = r.remaining > 0 ? readProperties(r, typeNumber) : undefined
  r.expectEnd()
  return properties === undefined ? { type, packetId, reasonCode } : { type, packetId, reasonCode, properties }
}

function parseDisconnectOrAuth(
  type: 'disconnect' | 'auth',
  typeNumber: number,
  r: Reader,
  v: ProtocolVersion,
): DisconnectPacket | AuthPacket {
  if (v < 5) {
    r.expectEnd()
    return { type }
  }
  // Short forms: an empty body is Reason Code 0; no Property Length means no properties (3.14.2.1, 3.15.2.1).
  const reasonCode = r.remaining > 0 ? r.u8() : 0
  checkReasonCode(type, reasonCode, v)
  const properties = r.remaining > 0 ? readProperties(r, typeNumber) : undefined
  r.expectEnd()
  return properties === undefined ? { type, reasonCode } : { type, reasonCode, properties }
}
