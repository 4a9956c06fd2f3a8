// Body parsers for SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (MQTT 5.0 sections 3.8-3.11).
import { MalformedPacketError, ProtocolError } from './errors.js'
import { readProperties } from './property-codec.js'
import type { Reader } from './reader.js'
import { checkReasonCode } from './reason-code-rules.js'
import { decodeSubscriptionOptions } from './subscription-options.js'
import { validateTopicFilter } from './topic.js'
import type {
  Properties,
  ProtocolVersion,
  SubackPacket,
  SubscribePacket,
  Subscription,
  UnsubackPacket,
  UnsubscribePacket,
} from './types.js'

export function readPacketId(r: Reader): number {
  const packetId = r.u16()
  if (packetId === 0) throw new MalformedPacketError('ERR_PACKET_ID', 'packet id 0') // [MQTT-2.3.1-1]
  return packetId
}

function emptyList(what: string): ProtocolError {
  return new ProtocolError('ERR_EMPTY_LIST', `${what} without entries`) // [MQTT-3.8.3-2], [MQTT-3.10.3-2]
}

function withProperties<T extends { properties?: Properties }>(packet: T, properties: Properties | undefined): T {
  if (properties !== undefined) packet.properties = properties
  return packet
}

export function parseSubscribe(r: Reader, v: ProtocolVersion): SubscribePacket {
  const packetId = readPacketId(r)
  const properties = v === 5 ? readProperties(r, 8) : undefined
  const subscriptions: Subscription[] = []
  while (r.remaining > 0) {
    const topic = r.utf8()
    validateTopicFilter(topic)
    subscriptions.push(decodeSubscriptionOptions(topic, r.u8(), v))
  }
  if (subscriptions.length === 0) throw emptyList('SUBSCRIBE')
  return withProperties<SubscribePacket>({ type: 'subscribe', packetId, subscriptions }, properties)
}

export function parseUnsubscribe(r: Reader, v: ProtocolVersion): UnsubscribePacket {
  const packetId = readPacketId(r)
  const properties = v === 5 ? readProperties(r, 10) : undefined
  const topics: string[] = []
  while (r.remaining > 0) {
    const topic = r.utf8()
    validateTopicFilter(topic)
    topics.push(topic)
  }
  if (topics.length === 0) throw emptyList('UNSUBSCRIBE')
  return withProperties<UnsubscribePacket>({ type: 'unsubscribe', packetId, topics }, properties)
}

function readReasonCodes(r: Reader, type: 'suback' | 'unsuback', v: ProtocolVersion): number[] {
  const reasonCodes = Array.from(r.rest())
  if (reasonCodes.length === 0) throw emptyList(type.toUpperCase())
  for (const code of reasonCodes) checkReasonCode(type, code, v)
  return reasonCodes
}

export function parseSuback(r: Reader, v: ProtocolVersion): SubackPacket {
  const packetId = readPacketId(r)
  const properties = v === 5 ? readProperties(r, 9) : undefined
  return withProperties<SubackPacket>(
    { type: 'suback', packetId, reasonCodes: readReasonCodes(r, 'suback', v) },
    properties,
  )
}

export function parseUnsuback(r: Reader, v: ProtocolVersion): UnsubackPacket {
  const packetId = readPacketId(r)
  if (v < 5) {
    r.expectEnd() // 3.1 / 3.1.1 UNSUBACK is only the packet id
    return { type: 'unsuback', packetId, reasonCodes: [] }
  }
  const properties = readProperties(r, 11)
  return withProperties<UnsubackPacket>(
    { type: 'unsuback', packetId, reasonCodes: readReasonCodes(r, 'unsuback', v) },
    properties,
  )
}
