// The Subscription Options byte of SUBSCRIBE (MQTT 5.0 section 3.8.3.1; 3.1.1 section 3.8.3: QoS only).
import { MalformedPacketError, ProtocolError } from './errors.js'
import { checkBoolean, checkQoS, invalidPacket } from './fields.js'
import type { ProtocolVersion, QoS, Subscription } from './types.js'

function retainHandlingError(value: unknown): ProtocolError {
  return new ProtocolError('ERR_SUBSCRIPTION_OPTIONS', `retain handling ${String(value)} is not 0, 1 or 2`)
}

function checkNoLocal(topic: string, noLocal: boolean): void {
  if (noLocal && topic.startsWith('$share/')) {
    throw new ProtocolError('ERR_SUBSCRIPTION_OPTIONS', 'No Local on a shared subscription') // [MQTT-3.8.3-4]
  }
}

/** The options byte for `subscription`; MQTT 5 options default to off. Throws for invalid options. */
export function encodeSubscriptionOptions(subscription: Subscription, version: ProtocolVersion): number {
  const qos = checkQoS(subscription.qos)
  if (version < 5) return qos
  const { noLocal = false, retainAsPublished = false, retainHandling = 0 } = subscription
  checkBoolean(noLocal, 'noLocal')
  checkBoolean(retainAsPublished, 'retainAsPublished')
  if (retainHandling !== 0 && retainHandling !== 1 && retainHandling !== 2) {
    if (typeof retainHandling !== 'number') throw invalidPacket('retainHandling must be 0, 1 or 2')
    throw retainHandlingError(retainHandling)
  }
  checkNoLocal(subscription.topic, noLocal)
  return qos | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | (retainHandling << 4)
}

/** The subscription for `topic` with options `byte`; reserved bits must be 0 [MQTT-3.8.3-5]. */
export function decodeSubscriptionOptions(topic: string, byte: number, version: ProtocolVersion): Subscription {
  const qos = byte & 0x03
  if (qos === 3) throw new MalformedPacketError('ERR_QOS', 'subscription QoS 3')
  if (byte & (version < 5 ? 0xfc : 0xc0)) {
    throw new MalformedPacketError('ERR_SUBSCRIPTION_OPTIONS', `reserved subscription option bits set: ${byte}`)
  }
  if (version < 5) return { topic, qos: qos as QoS }
  const retainHandling = (byte >> 4) & 0x03
  if (retainHandling === 3) throw retainHandlingError(3)
  const noLocal = (byte & 0x04) !== 0
  checkNoLocal(topic, noLocal)
  return {
    topic,
    qos: qos as QoS,
    noLocal,
    retainAsPublished: (byte & 0x08) !== 0,
    retainHandling: retainHandling as 0 | 1 | 2,
  }
}
