// Messages from the server: PUBLISH (topic alias resolved, delivered once, acked in arrival order) and the
// PUBREL that ends an incoming QoS 2 flow.
import type { MqttError } from '../packet/errors.js'
import type { AckPacket, PublishPacket } from '../packet/types.js'
import type { ReceivedMessage } from './api.js'
import type { SessionCore } from './core.js'
import { protocolError } from './errors.js'
import { flushAcks } from './transmit.js'

export function onPublish(s: SessionCore, packet: PublishPacket, now: number): void {
  let topic = packet.topic
  if (s.version === 5) {
    try {
      topic = s.inAliases.resolve(packet.topic, packet.properties?.topicAlias)
    } catch (error) {
      s.fail(error as MqttError, 0x94)
      return
    }
  }
  const resolved: PublishPacket = topic === packet.topic ? packet : { ...packet, topic }
  const message: ReceivedMessage = {
    topic,
    payload: packet.payload,
    qos: packet.qos,
    retain: packet.retain,
    dup: packet.dup,
    packet: resolved,
  }
  if (packet.packetId !== undefined) message.packetId = packet.packetId
  if (packet.properties) message.properties = packet.properties
  // A QoS above the subscription's is allowed here: the server may send the publisher's QoS in 3.1 and
  // overlapping subscriptions may raise it. [MQTT-3.3.4-1]: answer per the PUBLISH's own QoS.
  if (packet.qos === 0 || packet.packetId === undefined) {
    s.emit({ type: 'message', message })
    return
  }
  const verdict = s.incoming.onPublish(packet.qos, packet.packetId)
  if (verdict === 'deliver') s.emit({ type: 'message', message })
  else if (verdict === 'repeat-pubrec') s.write({ type: 'pubrec', packetId: packet.packetId }, now)
  flushAcks(s, now)
}

export function onPubrel(s: SessionCore, packet: AckPacket<'pubrel'>, now: number): void {
  const outcome = s.incoming.onPubrel(packet.packetId)
  if (outcome === 'early') {
    s.fail(protocolError('ERR_UNEXPECTED_PACKET', `PUBREL ${packet.packetId} before our PUBREC`), 0x82)
    return
  }
  // [MQTT-4.3.3-11]; an unknown id is answered too, with 0x92 in MQTT 5 (Packet Identifier not found).
  const pubcomp: AckPacket<'pubcomp'> = { type: 'pubcomp', packetId: packet.packetId }
  if (outcome === 'unknown' && s.version === 5) pubcomp.reasonCode = 0x92
  s.write(pubcomp, now)
}
