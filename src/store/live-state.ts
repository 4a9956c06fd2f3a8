// The live session state the log describes: what replaying every record yields. It answers load(), says
// how many bytes a compacted log would take (the bound `maxBytes` applies to), and lists the records that
// rebuild it, for compaction.
import type { PersistedSession, StoredOutgoing, StoredSubscription } from '../session/store.js'
import { FILE_HEADER_SIZE, FRAME_HEADER_SIZE } from './log-format.js'
import type { StoreRecord } from './records.js'

/** An addIncoming frame: the frame header, a tag byte and the packet id. */
const INCOMING_FRAME_BYTES = FRAME_HEADER_SIZE + 3

interface Sized<T> {
  value: T
  /** The frame size of the record that puts it, as compaction would write it. */
  bytes: number
}

export class LiveState {
  private clientId: { value: string; bytes: number } | undefined
  private readonly outgoing = new Map<number, Sized<StoredOutgoing>>()
  private readonly incoming = new Set<number>()
  private readonly subscriptions = new Map<string, Sized<StoredSubscription>>()
  /** The size of a compacted log holding this state. */
  bytes = FILE_HEADER_SIZE

  get outgoingCount(): number {
    return this.outgoing.size
  }

  get isEmpty(): boolean {
    return (
      this.clientId === undefined &&
      this.outgoing.size === 0 &&
      this.incoming.size === 0 &&
      this.subscriptions.size === 0
    )
  }

  /** Whether applying `record` would change anything (a no-op is not written to the log). */
  changes(record: StoreRecord): boolean {
    switch (record.type) {
      case 'clientId':
        return this.clientId?.value !== record.clientId
      case 'updateOutgoing':
      case 'removeOutgoing':
        return this.outgoing.has(record.seq)
      case 'addIncoming':
        return !this.incoming.has(record.packetId)
      case 'removeIncoming':
        return this.incoming.has(record.packetId)
      case 'clearIncoming':
        return this.incoming.size > 0
      case 'removeSubscription':
        return this.subscriptions.has(record.topic)
      default:
        return true
    }
  }

  /** The size in bytes message `seq` takes now (0 when there is none). */
  outgoingBytes(seq: number): number {
    return this.outgoing.get(seq)?.bytes ?? 0
  }

  /**
   * Applies one record; `frameBytes` is its frame size. Records naming a message that is not there are
   * ignored: they cannot change the state, and refusing them would make a session unloadable.
   */
  apply(record: StoreRecord, frameBytes: number): void {
    switch (record.type) {
      case 'clientId':
        this.bytes += frameBytes - (this.clientId?.bytes ?? 0)
        this.clientId = { value: record.clientId, bytes: frameBytes }
        return
      case 'putOutgoing':
        this.bytes += frameBytes - this.outgoingBytes(record.message.seq)
        this.outgoing.set(record.message.seq, { value: record.message, bytes: frameBytes })
        return
      case 'updateOutgoing': {
        const entry = this.outgoing.get(record.seq)
        if (entry === undefined) return
        entry.value = { ...entry.value, state: record.state, dup: record.dup }
        if (record.releaseOrder === undefined) delete entry.value.releaseOrder
        else entry.value.releaseOrder = record.releaseOrder
        return
      }
      case 'removeOutgoing':
        this.bytes -= this.outgoingBytes(record.seq)
        this.outgoing.delete(record.seq)
        return
      case 'addIncoming':
        if (this.incoming.has(record.packetId)) return
        this.incoming.add(record.packetId)
        this.bytes += INCOMING_FRAME_BYTES
        return
      case 'removeIncoming':
        if (this.incoming.delete(record.packetId)) this.bytes -= INCOMING_FRAME_BYTES
        return
      case 'clearIncoming':
        this.bytes -= this.incoming.size * INCOMING_FRAME_BYTES
        this.incoming.clear()
        return
      case 'putSubscription': {
        const topic = record.subscription.topic
        this.bytes += frameBytes - (this.subscriptions.get(topic)?.bytes ?? 0)
        this.subscriptions.set(topic, { value: record.subscription, bytes: frameBytes })
        return
      }
      case 'removeSubscription':
        this.bytes -= this.subscriptions.get(record.topic)?.bytes ?? 0
        this.subscriptions.delete(record.topic)
        return
    }
  }

  /** Copies of the state, so that the session's own changes never reach it unrecorded. */
  snapshot(): PersistedSession | undefined {
    if (this.isEmpty) return undefined
    return {
      clientId: this.clientId?.value ?? '',
      outgoing: [...this.outgoing.values()].map(({ value }) => ({ ...value })),
      incomingQos2: [...this.incoming],
      subscriptions: [...this.subscriptions.values()].map(({ value }) => ({ ...value })),
    }
  }

  /** The records that rebuild this state from an empty log. */
  *records(): Generator<StoreRecord> {
    if (this.clientId !== undefined) yield { type: 'clientId', clientId: this.clientId.value }
    for (const { value } of this.subscriptions.values()) yield { type: 'putSubscription', subscription: value }
    for (const packetId of this.incoming) yield { type: 'addIncoming', packetId }
    for (const { value } of this.outgoing.values()) yield { type: 'putOutgoing', message: value }
  }
}
