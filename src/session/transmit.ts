// The encode / transmit path: queued PUBLISHes out while the window allows (with a topic alias where one
// applies), SUBSCRIBE / UNSUBSCRIBE requests, and the PUBACK / PUBREC acks of incoming messages.
import { MqttError, PacketTooLargeError } from '../packet/errors.js'
import type { AckPacket, Packet, PublishPacket } from '../packet/types.js'
import { packetIdOf, type SessionCore } from './core.js'
import { encodeWithin } from './packet-size.js'
import { publishRefusal } from './server-limits.js'
import type { StoredOutgoing } from './store.js'

/** Write queued messages while the window allows. */
export function pump(s: SessionCore, now: number): void {
  while (s.state === 'connected') {
    const record = s.outgoing.nextToSend()
    if (!record) return
    if (record.qos > 0 && record.packetId === undefined) {
      s.outgoing.assignId(record)
      s.emit({ type: 'publish-id', token: record.token, packetId: record.packetId! })
    }
    transmit(s, record, now)
  }
}

function transmit(s: SessionCore, record: StoredOutgoing, now: number): void {
  const refusal = publishRefusal(s.limits, record.qos, record.retain)
  const bytes = refusal ?? encodePublish(s, record)
  if (bytes instanceof MqttError) {
    s.outgoing.drop(record)
    s.emit({ type: 'publish-failed', token: record.token, ...packetIdOf(record), error: bytes })
    return
  }
  s.outgoing.markSent(record) // stored before its bytes can reach the transport
  s.push(bytes, now)
  s.counters.sent++
  if (record.qos > 0) s.keepalive.expectAnswer(now)
  else {
    s.qos0Written ??= []
    s.qos0Written.push(record.token)
  }
}

/** The PUBLISH bytes, with a topic alias where one applies, or the error when it exceeds the server's limit. */
function encodePublish(s: SessionCore, record: StoredOutgoing): Uint8Array | MqttError {
  const packet: PublishPacket = {
    type: 'publish',
    topic: record.topic,
    payload: record.payload,
    qos: record.qos,
    retain: record.retain,
    dup: record.dup && record.qos > 0, // [MQTT-3.3.1-1] [MQTT-3.3.1-2]
  }
  if (record.packetId !== undefined) packet.packetId = record.packetId
  if (record.properties) packet.properties = record.properties
  const limit = s.limits.maximumPacketSize
  const userAlias = record.properties?.topicAlias
  if (s.version === 5 && userAlias !== undefined) {
    const bytes = encodeWithin(packet, s.version, limit)
    if (!(bytes instanceof PacketTooLargeError) && record.topic !== '') s.outAliases.define(record.topic, userAlias)
    return bytes
  }
  if (s.version !== 5 || s.options.autoTopicAlias === false || s.outAliases.limit === 0) {
    return encodeWithin(packet, s.version, limit)
  }
  const aliased = s.outAliases.assign(record.topic)
  const bytes = encodeWithin(
    { ...packet, topic: aliased.topic, properties: { ...record.properties, topicAlias: aliased.alias } },
    s.version,
    limit,
  )
  if (bytes instanceof MqttError && aliased.topic !== '') s.outAliases.forget(record.topic)
  return bytes
}

export function sendRequest(s: SessionCore, packetId: number, now: number): void {
  const request = s.requests.get(packetId)!
  const properties = s.version === 5 ? request.properties : undefined
  const packet: Packet =
    request.kind === 'subscribe'
      ? { type: 'subscribe', packetId, subscriptions: request.subscriptions }
      : { type: 'unsubscribe', packetId, topics: request.topics }
  if (properties) packet.properties = properties
  const bytes = encodeWithin(packet, s.version, s.limits.maximumPacketSize)
  if (bytes instanceof MqttError) {
    s.requests.remove(packetId)
    s.emit({ type: 'request-failed', token: request.token, error: bytes })
    return
  }
  s.push(bytes, now)
  s.keepalive.expectAnswer(now)
}

/** The acks of incoming messages that may go out now (in arrival order [MQTT-4.6.0-2]). */
export function flushAcks(s: SessionCore, now: number): void {
  if (s.state !== 'connected') return
  for (const ack of s.incoming.flush()) {
    const packet: AckPacket<'puback' | 'pubrec'> = { type: ack.type, packetId: ack.packetId }
    if (s.version === 5) packet.reasonCode = ack.reasonCode
    s.write(packet, now)
  }
}
