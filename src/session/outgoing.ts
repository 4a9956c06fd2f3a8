// Outgoing messages: the in-flight window (QoS 1/2 PUBLISHes not yet completed, bounded by min(maxInflight,
// the server's Receive Maximum) [MQTT-3.3.4-7] [MQTT-4.9.0-1] [MQTT-4.9.0-2]) and the queue behind it,
// in publish order. A QoS 1/2 message gets its packet id at publish() when one is free and no older message
// is still waiting for one; otherwise it waits without an id and gets one as it enters the window, so any
// number of messages can be queued while no id is ever reused in flight [MQTT-2.2.1-3]. An id belongs to
// its message until the flow ends.
import type { ProtocolVersion } from '../packet/types.js'
import type { OutgoingMessage } from './api.js'
import type { PacketIdAllocator } from './packet-ids.js'
import type { SessionStore, StoredOutgoing } from './store.js'

export class OutgoingFlows {
  /** Every message not yet completed, in publish order (Map keeps insertion order). */
  // Both tables are created on first use: an idle connection keeps no empty Maps (~190 bytes each).
  private bySeq: Map<number, StoredOutgoing> | undefined
  private byPacketId: Map<number, StoredOutgoing> | undefined
  /**
   * Messages waiting to be written, in publish order; `head` skips the ones already taken. A message dropped
   * by the overflow policy stays in the array as a tombstone (no longer in `bySeq`) and is skipped.
   */
  private queue: StoredOutgoing[] = []
  private head = 0
  private queued = 0
  private queuedSize = 0
  private inflight = 0
  private nextSeq = 1
  private nextReleaseOrder = 1
  /** QoS 1/2 messages still without a packet id (all of them queued, behind every message that has one). */
  private waitingForId = 0
  window = 65_535

  constructor(
    private readonly ids: PacketIdAllocator,
    private readonly store: SessionStore,
  ) {}

  /** Messages restored from a store: they wait for the next connection. */
  restore(records: StoredOutgoing[]): void {
    for (const record of [...records].sort((a, b) => a.seq - b.seq)) {
      this.seqTable().set(record.seq, record)
      if (record.packetId !== undefined) {
        this.ids.claim(record.packetId)
        this.idTable().set(record.packetId, record)
      } else if (record.qos > 0) this.waitingForId++
      this.nextSeq = Math.max(this.nextSeq, record.seq + 1)
      this.nextReleaseOrder = Math.max(this.nextReleaseOrder, (record.releaseOrder ?? 0) + 1)
    }
  }

  get queuedCount(): number {
    return this.queued
  }

  /** Payload bytes plus topic characters of the queued messages. */
  get queuedBytes(): number {
    return this.queuedSize
  }

  get inflightCount(): number {
    return this.inflight
  }

  get size(): number {
    return this.bySeq?.size ?? 0
  }

  maxToken(): number {
    let max = 0
    for (const record of this.bySeq?.values() ?? []) max = Math.max(max, record.token)
    return max
  }

  /** Whether a new message of this QoS would be written at once (nothing ahead of it, room in the window). */
  canSendNow(qos: number): boolean {
    return this.queuedCount === 0 && (qos === 0 || this.inflight < this.window)
  }

  /**
   * A packet id for a new QoS 1/2 message, or undefined when it must wait for one: all ids are taken, or an
   * older message is already waiting (a newer one taking a freed id would starve it, and could hold every id
   * while the older one blocks the queue).
   */
  idForNewMessage(): number | undefined {
    return this.waitingForId === 0 && !this.ids.exhausted ? this.ids.allocate() : undefined
  }

  add(message: OutgoingMessage, token: number, packetId: number | undefined): StoredOutgoing {
    const record: StoredOutgoing = {
      seq: this.nextSeq++,
      token,
      topic: message.topic,
      payload: message.payload,
      qos: message.qos,
      retain: message.retain,
      state: 'queued',
      dup: false,
    }
    if (packetId !== undefined) record.packetId = packetId
    if (message.properties) record.properties = message.properties
    // Stored first: a message the store refuses (full, I/O error) is never sent, and its id is free again.
    try {
      this.store.putOutgoing(record)
    } catch (error) {
      if (packetId !== undefined) this.ids.release(packetId)
      this.nextSeq--
      throw error
    }
    if (packetId !== undefined) this.idTable().set(packetId, record)
    else if (message.qos > 0) this.waitingForId++
    this.seqTable().set(record.seq, record)
    this.enqueue(record)
    return record
  }

  /**
   * Drops the oldest queued message that never went out (a re-sent one keeps its place: the server may hold
   * its packet id, and a QoS 2 id must not be reused before the flow ends [MQTT-4.3.3-12]).
   */
  dropOldest(): StoredOutgoing | undefined {
    for (let i = this.head; i < this.queue.length; i++) {
      const record = this.queue[i]!
      if (!this.isQueued(record)) {
        if (i === this.head) this.head++
        continue
      }
      if (record.dup) continue
      this.remove(record)
      this.dequeued(record)
      return record
    }
    return undefined
  }

  /**
   * The next queued message the window lets out (publish order is kept: QoS 0 waits behind QoS 1/2 too).
   * A message without a packet id waits while every id is in use; the caller gives it one (assignId).
   */
  nextToSend(): StoredOutgoing | undefined {
    let record = this.queue[this.head]
    while (record !== undefined && !this.isQueued(record)) record = this.queue[++this.head]
    if (record === undefined) return undefined
    if (record.qos > 0) {
      if (this.inflight >= this.window) return undefined
      if (record.packetId === undefined && this.ids.exhausted) return undefined
    }
    this.head++
    this.dequeued(record)
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    return record
  }

  /** The PUBLISH of `record` was written: QoS 0 is done, QoS 1/2 enter the window. */
  markSent(record: StoredOutgoing): void {
    if (record.qos === 0) {
      this.remove(record)
      return
    }
    this.setState(record, 'sent', record.dup)
    this.inflight++
  }

  /** A message that cannot be sent (too large, refused by the server's limits): drop it. */
  drop(record: StoredOutgoing): void {
    this.remove(record)
  }

  /** The message of an ack, if it is in the given state with the given QoS. */
  find(packetId: number, qos: 1 | 2, state: 'sent' | 'released'): StoredOutgoing | undefined {
    const record = this.byPacketId?.get(packetId)
    return record && record.qos === qos && record.state === state ? record : undefined
  }

  /** PUBREC < 0x80: the QoS 2 message moves on to PUBREL [MQTT-4.3.3-4]. */
  release(record: StoredOutgoing): void {
    record.releaseOrder = this.nextReleaseOrder++
    this.setState(record, 'released', false)
  }

  /** The flow of an in-flight message ended (success or failure): its id and window slot are free. */
  complete(record: StoredOutgoing): void {
    this.remove(record)
    this.inflight--
  }

  /**
   * A new connection was accepted. With the session kept, unacknowledged PUBLISHes go again with DUP = 1 and
   * PUBRELs are re-sent, in the original order [MQTT-4.4.0-1] [MQTT-4.6.0-1]. Without it, the old session
   * is gone [MQTT-3.2.2-5]: unacknowledged messages are published anew (DUP = 0), and QoS 2 messages past
   * PUBREC count as delivered (the server had taken ownership). Returns the PUBRELs to re-send (in the
   * order their PUBRECs arrived [MQTT-4.6.0-4]) and the messages completed.
   */
  reconnected(sessionPresent: boolean): { pubrels: StoredOutgoing[]; completed: StoredOutgoing[] } {
    const pubrels: StoredOutgoing[] = []
    const completed: StoredOutgoing[] = []
    this.resetQueue()
    for (const record of [...(this.bySeq?.values() ?? [])]) {
      if (record.state === 'released') {
        if (sessionPresent) {
          this.inflight++
          pubrels.push(record)
        } else {
          this.remove(record)
          completed.push(record)
        }
        continue
      }
      const dup = sessionPresent && (record.state === 'sent' || record.dup)
      if (record.state !== 'queued' || record.dup !== dup) this.setState(record, 'queued', dup)
      this.enqueue(record)
    }
    pubrels.sort((a, b) => (a.releaseOrder ?? 0) - (b.releaseOrder ?? 0))
    return { pubrels, completed }
  }

  /** Every message, in order (for abandon()). */
  all(): StoredOutgoing[] {
    return [...(this.bySeq?.values() ?? [])]
  }

  /**
   * Forgets every message in memory only: the store keeps them, so that the next session opened on it sends
   * them (a durable store outlives close()).
   */
  forget(): void {
    for (const record of this.bySeq?.values() ?? [])
      if (record.packetId !== undefined) this.ids.release(record.packetId)
    this.bySeq = undefined
    this.byPacketId = undefined
    this.waitingForId = 0
    this.resetQueue()
  }

  private resetQueue(): void {
    this.queue = []
    this.head = 0
    this.queued = 0
    this.queuedSize = 0
    this.inflight = 0
  }

  /** A message that waited without a packet id enters the window: it gets one now. */
  assignId(record: StoredOutgoing): void {
    const packetId = this.ids.allocate()
    record.packetId = packetId
    // The stored copy learns its id before the PUBLISH carrying it can be written.
    try {
      this.store.putOutgoing(record)
    } catch (error) {
      delete record.packetId
      this.ids.release(packetId)
      throw error
    }
    this.idTable().set(packetId, record)
    this.waitingForId--
  }

  private seqTable(): Map<number, StoredOutgoing> {
    this.bySeq ??= new Map()
    return this.bySeq
  }

  private idTable(): Map<number, StoredOutgoing> {
    this.byPacketId ??= new Map()
    return this.byPacketId
  }

  private enqueue(record: StoredOutgoing): void {
    this.queue.push(record)
    this.queued++
    this.queuedSize += sizeOf(record)
  }

  private dequeued(record: StoredOutgoing): void {
    this.queued--
    this.queuedSize -= sizeOf(record)
  }

  /** Still waiting in the queue (not a tombstone of a dropped message). */
  private isQueued(record: StoredOutgoing): boolean {
    return this.bySeq?.get(record.seq) === record
  }

  /** Changes a message's state; when the store refuses the change, memory is put back to match the store. */
  private setState(record: StoredOutgoing, state: StoredOutgoing['state'], dup: boolean): void {
    const before = { state: record.state, dup: record.dup, releaseOrder: record.releaseOrder }
    record.state = state
    record.dup = dup
    if (state !== 'released') delete record.releaseOrder
    try {
      this.store.updateOutgoing(record)
    } catch (error) {
      Object.assign(record, before)
      if (before.releaseOrder === undefined) delete record.releaseOrder
      throw error
    }
  }

  /** Removed from the store first: when the store refuses, the message stays (and is sent again later). */
  private remove(record: StoredOutgoing): void {
    this.store.removeOutgoing(record.seq)
    this.bySeq?.delete(record.seq)
    if (record.packetId !== undefined) {
      this.byPacketId?.delete(record.packetId)
      this.ids.release(record.packetId)
    } else if (record.qos > 0) this.waitingForId--
  }
}

/** What a message counts for in the queue's byte limit. */
export function sizeOf(message: { topic: string; payload: Uint8Array }): number {
  return message.payload.byteLength + message.topic.length
}

/**
 * QoS 1/2 messages in flight at once: an explicit maxInflight, within the server's Receive Maximum
 * [MQTT-3.3.4-7]. Unset, MQTT 5 takes the Receive Maximum the server announces; MQTT 3.1 / 3.1.1 servers
 * announce none, and Mosquitto answers what exceeds its max_inflight_messages (20) with a PUBACK that reads
 * as success while dropping the message, so those versions default to 20, like Paho.
 */
export function inflightWindow(
  maxInflight: number | undefined,
  version: ProtocolVersion,
  receiveMaximum: number,
): number {
  return Math.min(maxInflight ?? (version === 5 ? 65_535 : 20), receiveMaximum)
}
