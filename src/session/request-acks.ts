// SUBACK / UNSUBACK: match the request, check the reason code count, remember (or forget) the granted
// subscriptions for resubscribing, and report the result.
import type { SubackPacket, UnsubackPacket } from '../packet/types.js'
import type { SessionCore } from './core.js'
import { protocolError } from './errors.js'
import type { StoredSubscription } from './store.js'
import { pump } from './transmit.js'

export function onRequestAck(s: SessionCore, packet: SubackPacket | UnsubackPacket): void {
  const kind = packet.type === 'suback' ? 'subscribe' : 'unsubscribe'
  const request = s.requests.get(packet.packetId)
  if (!request || request.kind !== kind) {
    const error = protocolError(
      'ERR_UNKNOWN_PACKET_ID',
      `${packet.type.toUpperCase()} for unknown packet id ${packet.packetId}`,
    )
    s.fail(error, 0x82)
    return
  }
  const expected = request.kind === 'subscribe' ? request.subscriptions.length : request.topics.length
  const counted = packet.type === 'suback' || s.version === 5 // 3.1.1 UNSUBACK carries no codes
  if (counted && packet.reasonCodes.length !== expected) {
    const error = protocolError('ERR_SUBACK_COUNT', `${packet.reasonCodes.length} reason codes for ${expected} filters`)
    s.fail(error, 0x82)
    return
  }
  s.requests.remove(packet.packetId)
  if (request.kind === 'subscribe') {
    request.subscriptions.forEach((subscription, i) => {
      if (packet.reasonCodes[i]! >= 0x80) return
      const stored: StoredSubscription = { ...subscription }
      const id = request.properties?.subscriptionIdentifier
      if (typeof id === 'number') stored.subscriptionIdentifier = id
      if (request.properties?.userProperties) stored.userProperties = request.properties.userProperties
      s.store.putSubscription(stored)
      s.subscriptions.set(subscription.topic, stored)
    })
  } else {
    request.topics.forEach((topic, i) => {
      if ((packet.reasonCodes[i] ?? 0) >= 0x80) return
      s.store.removeSubscription(topic)
      s.subscriptions.delete(topic)
    })
  }
  const type = packet.type === 'suback' ? 'subscribed' : 'unsubscribed'
  const { token } = request
  const { reasonCodes, properties } = packet
  s.emit(properties ? { type, token, reasonCodes, properties } : { type, token, reasonCodes })
  pump(s, s.lastNow) // the freed id may be the one a queued message waits for
}
