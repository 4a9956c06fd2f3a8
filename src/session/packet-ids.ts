// Packet identifier allocation: non-zero, 16 bits, never one still in use [MQTT-2.2.1-3] [MQTT-2.3.1-2].
// The ids in use are kept in a Set made on first use, so an idle session costs a few bytes, not a 64 KiB table.
import { SessionError } from './errors.js'

const MAX_PACKET_ID = 0xffff

export class PacketIdAllocator {
  private used: Set<number> | undefined
  private next = 1

  get size(): number {
    return this.used?.size ?? 0
  }

  /** Whether every id is taken. */
  get exhausted(): boolean {
    return this.size >= MAX_PACKET_ID
  }

  /** The next free id after the last one handed out (round robin, so ids are not reused soon). */
  allocate(): number {
    if (this.exhausted) throw new SessionError('ERR_PACKET_ID_EXHAUSTED', 'all 65535 packet identifiers are in use')
    this.used ??= new Set()
    const used = this.used
    let id = this.next
    while (used.has(id)) id = id === MAX_PACKET_ID ? 1 : id + 1
    used.add(id)
    this.next = id === MAX_PACKET_ID ? 1 : id + 1
    return id
  }

  /** Mark an id restored from a store as in use. */
  claim(id: number): void {
    this.used ??= new Set()
    this.used.add(id)
  }

  isUsed(id: number): boolean {
    return this.used?.has(id) ?? false
  }

  release(id: number): void {
    this.used?.delete(id)
  }
}
