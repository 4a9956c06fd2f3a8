// Incoming QoS 1/2 flows. PUBACK / PUBREC go out in the order the PUBLISHes arrived [MQTT-4.6.0-2]
// [MQTT-4.6.0-3], also when the application acks them out of order (manualAck): a later ack waits for the
// earlier ones. QoS 2 ids are remembered from PUBREC until PUBREL so a message is delivered once
// [MQTT-4.3.3-10]; they are stored only once the PUBREC went out, because that is when we own the message.
import type { SessionStore } from './store.js'

export interface AckToSend {
  type: 'puback' | 'pubrec'
  packetId: number
  reasonCode: number
}

interface PendingAck {
  packetId: number
  qos: 1 | 2
  acked: boolean
  reasonCode: number
}

export type PublishVerdict =
  /** A new message: hand it to the application. */
  | 'deliver'
  /** A QoS 2 duplicate after our PUBREC: answer with PUBREC again, do not deliver [MQTT-4.3.3-10]. */
  | 'repeat-pubrec'
  /** A QoS 2 duplicate still waiting for the application's ack: its PUBREC will follow that ack. */
  | 'ignore'

export class IncomingFlows {
  /** QoS 2 ids: 'received' = delivered, PUBREC not sent yet; 'acknowledged' = PUBREC sent, PUBREL awaited. */
  private qos2: Map<number, 'received' | 'acknowledged'> | undefined // made on first use
  private pending: PendingAck[] = []

  constructor(
    private readonly store: SessionStore,
    private readonly manualAck: boolean,
  ) {}

  restore(packetIds: number[]): void {
    for (const id of packetIds) this.remember(id, 'acknowledged')
  }

  onPublish(qos: 1 | 2, packetId: number): PublishVerdict {
    if (qos === 2) {
      const known = this.qos2?.get(packetId)
      if (known === 'acknowledged') return 'repeat-pubrec'
      if (known === 'received') return 'ignore'
      this.remember(packetId, 'received')
    }
    // Without manualAck the ack is due as soon as the message is handed out [MQTT-4.5.0-2].
    this.pending.push({ packetId, qos, acked: !this.manualAck, reasonCode: 0 })
    return 'deliver'
  }

  /** The application acked a message; false when there is nothing to ack (unknown, already acked, stale). */
  ack(packetId: number, qos: 1 | 2, reasonCode: number): boolean {
    const entry = this.pending.find((p) => p.packetId === packetId && p.qos === qos && !p.acked)
    if (!entry) return false
    entry.acked = true
    entry.reasonCode = reasonCode
    return true
  }

  /** The acks that may go out now: the acked ones at the head of the arrival order. */
  flush(): AckToSend[] {
    const out: AckToSend[] = []
    let i = 0
    for (; i < this.pending.length && this.pending[i]!.acked; i++) {
      const { packetId, qos, reasonCode } = this.pending[i]!
      out.push({ type: qos === 1 ? 'puback' : 'pubrec', packetId, reasonCode })
      if (qos === 2) this.pubrecSent(packetId, reasonCode)
    }
    if (i > 0) this.pending = this.pending.slice(i)
    return out
  }

  /** PUBREL: 'complete' (answer PUBCOMP, forget the id), 'unknown' (PUBCOMP 0x92), 'early' (no PUBREC yet). */
  onPubrel(packetId: number): 'complete' | 'unknown' | 'early' {
    const known = this.qos2?.get(packetId)
    if (known === undefined) return 'unknown'
    if (known === 'received') return 'early'
    this.store.removeIncomingQos2(packetId) // stored first: when the store fails, the id stays
    this.qos2?.delete(packetId) // [MQTT-4.3.3-12]: the id is free for a new message
    return 'complete'
  }

  /** The connection dropped: the server re-sends unacknowledged QoS 1 messages, so their acks are moot. */
  connectionLost(): void {
    this.pending = this.pending.filter((p) => p.qos === 2)
  }

  /** The server has no session for us: every incoming flow is gone [MQTT-3.2.2-5]. */
  sessionLost(): void {
    this.store.clearIncoming()
    this.qos2?.clear()
    this.pending = []
  }

  private pubrecSent(packetId: number, reasonCode: number): void {
    if (reasonCode >= 0x80) {
      this.qos2?.delete(packetId) // [MQTT-4.3.3-9]: after a failing PUBREC the id starts a new message
      return
    }
    this.store.addIncomingQos2(packetId)
    this.remember(packetId, 'acknowledged')
  }

  private remember(packetId: number, state: 'received' | 'acknowledged'): void {
    this.qos2 ??= new Map()
    this.qos2.set(packetId, state)
  }
}
