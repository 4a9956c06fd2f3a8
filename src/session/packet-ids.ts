// Packet identifier allocation: non-zero, 16 bits, never one still in use [MQTT-2.2.1-3] [MQTT-2.3.1-2].
// The ids in use are kept in a Set, so an idle session costs a few bytes instead of a 64 KiB table.
import { SessionError } from './errors.js'

export const MAX_PACKET_ID = 0xffff

export class PacketIdAllocator {
  private readonly used = new Set<number>()
  private next = 1

  get size(): number {
    return this.used.size
  }

  /** Whether every id is taken. */
  get exhausted(): boolean {
    return this.used.size >= MAX_PACKET_ID
  }

  /** The next free id after the last one handed out (round robin, so ids are not reused soon). */
  allocate(): number {
    if (this.exhausted) throw new SessionError('ERR_PACKET_ID_EXHAUSTED', 'all 65535 packet identifiers are in use')
    let id = this.next
    while (this.used.has(id)) id = id === MAX_PACKET_ID ? 1 : id + 1
    this.used.add(id)
    this.next = id === MAX_PACKET_ID ? 1 : id + 1
    return id
  }

  /** Mark an id restored from a store as in use. */
  claim(id: number): void {
    this.used.add(id)
  }

  isUsed(id: number): boolean {
    return this.used.has(id)
  }

  release(id: number): void {
    this.used.delete(id)
  }
}
