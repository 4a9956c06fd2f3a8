// Session state as plain data, and the interface through which the session mirrors it. The session keeps
// its live state in memory; a store is a synchronous write-through copy, so that a restarted client with
// the same store and client id can finish every flow [MQTT-3.1.3-2] [MQTT-4.1.0-1]. Everything here is
// serialisable: numbers, strings, booleans, Uint8Array.
import type { Properties, ProtocolVersion, QoS, Subscription } from '../packet/types.js'

/**
 * Where an outgoing message stands:
 * - `queued`: waiting to be sent on the current (or next) connection; `dup` says whether it went out before;
 * - `sent`: PUBLISH written, waiting for PUBACK (QoS 1) or PUBREC (QoS 2);
 * - `released`: QoS 2 past PUBREC, PUBREL written, waiting for PUBCOMP.
 */
export type OutgoingState = 'queued' | 'sent' | 'released'

export interface StoredOutgoing {
  /** Position in publish order; re-sends follow it [MQTT-4.6.0-1]. */
  seq: number
  /** The token publish() returned. */
  token: number
  /** Present exactly when qos > 0; kept for the message's whole life. */
  packetId?: number
  topic: string
  payload: Uint8Array
  qos: QoS
  retain: boolean
  properties?: Properties
  state: OutgoingState
  /** The PUBLISH was written on an earlier connection: the next one carries DUP = 1 [MQTT-3.3.1-1]. */
  dup: boolean
  /** For `released`: the order PUBRECs arrived in, which re-sent PUBRELs follow [MQTT-4.6.0-4]. */
  releaseOrder?: number
}

/** A subscription the server granted, remembered so that the client can subscribe again. */
export interface StoredSubscription extends Subscription {
  subscriptionIdentifier?: number
  userProperties?: [string, string][]
}

export interface PersistedSession {
  clientId: string
  protocolVersion?: ProtocolVersion
  outgoing: StoredOutgoing[]
  /** Incoming QoS 2 packet ids whose PUBLISH was received and whose PUBREL has not arrived yet. */
  incomingQos2: number[]
  subscriptions: StoredSubscription[]
}

/** A synchronous write-through mirror of the session state. Every method is called after the change. */
export interface SessionStore {
  /** The state saved by an earlier run, if any. Called once, when the session is constructed. */
  load(): PersistedSession | undefined
  /** The client id in use changed (first save, or a server-assigned one). */
  setClientId(clientId: string): void
  putOutgoing(message: StoredOutgoing): void
  /** A stored message changed state (same seq; state, dup and releaseOrder may differ). */
  updateOutgoing(message: StoredOutgoing): void
  removeOutgoing(seq: number): void
  addIncomingQos2(packetId: number): void
  removeIncomingQos2(packetId: number): void
  putSubscription(subscription: StoredSubscription): void
  removeSubscription(topic: string): void
  /** The server has no session for us: forget incoming QoS 2 ids (outgoing messages are kept and re-sent). */
  clearIncoming(): void
}

/** The default: nothing outlives the process. */
export class MemorySessionStore implements SessionStore {
  load(): PersistedSession | undefined {
    return undefined
  }
  setClientId(): void {}
  putOutgoing(): void {}
  updateOutgoing(): void {}
  removeOutgoing(): void {}
  addIncomingQos2(): void {}
  removeIncomingQos2(): void {}
  putSubscription(): void {}
  removeSubscription(): void {}
  clearIncoming(): void {}
}
