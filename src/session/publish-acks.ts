// Acks of our own PUBLISHes: PUBACK (QoS 1), PUBREC then PUBCOMP (QoS 2). The last ack of a flow reports
// success or failure and frees the packet id and the window slot.
import type { AckPacket } from '../packet/types.js'
import type { SessionEvent } from './api.js'
import { packetIdOf, type SessionCore } from './core.js'
import { PublishError, protocolError } from './errors.js'
import type { StoredOutgoing } from './store.js'
import { pump } from './transmit.js'

/** PUBACK (QoS 1, after our PUBLISH) or PUBCOMP (QoS 2, after our PUBREL): the flow is over. */
export function onLastAck(s: SessionCore, packet: AckPacket<'puback' | 'pubcomp'>, now: number): void {
  const record =
    packet.type === 'puback'
      ? s.outgoing.find(packet.packetId, 1, 'sent')
      : s.outgoing.find(packet.packetId, 2, 'released')
  if (!record) {
    unknownAck(s, packet)
    return
  }
  finish(s, record, packet, packet.type, now)
}

export function onPubrec(s: SessionCore, packet: AckPacket<'pubrec'>, now: number): void {
  const record = s.outgoing.find(packet.packetId, 2, 'sent')
  if (!record) {
    // A repeated PUBREC for a message already released: answer with the PUBREL again.
    if (s.outgoing.find(packet.packetId, 2, 'released')) s.write({ type: 'pubrel', packetId: packet.packetId }, now)
    else unknownAck(s, packet)
    return
  }
  if ((packet.reasonCode ?? 0) >= 0x80) {
    finish(s, record, packet, 'pubrec', now) // [MQTT-4.4.0-2]: no PUBREL after a failing PUBREC
    return
  }
  s.outgoing.release(record)
  s.write({ type: 'pubrel', packetId: packet.packetId }, now) // [MQTT-4.3.3-4]
}

/** The last ack of an outgoing flow: report success or failure, free the id and the window slot. */
function finish(
  s: SessionCore,
  record: StoredOutgoing,
  packet: AckPacket<'puback' | 'pubrec' | 'pubcomp'>,
  type: 'puback' | 'pubrec' | 'pubcomp',
  now: number,
): void {
  const reasonCode = packet.reasonCode ?? 0
  s.outgoing.complete(record)
  if (reasonCode >= 0x80) {
    s.emit({
      type: 'publish-failed',
      token: record.token,
      ...packetIdOf(record),
      error: new PublishError(reasonCode, type),
    })
  } else {
    s.counters.acked++
    const done: SessionEvent = { type: 'publish-done', token: record.token, ...packetIdOf(record), reasonCode }
    if (packet.properties) done.properties = packet.properties
    s.emit(done)
  }
  pump(s, now)
}

function unknownAck(s: SessionCore, packet: AckPacket<'puback' | 'pubrec' | 'pubcomp'>): void {
  const name = packet.type.toUpperCase()
  s.fail(protocolError('ERR_UNKNOWN_PACKET_ID', `${name} for packet id ${packet.packetId}, not in flight`), 0x82)
}
