// Packet identifier allocation: non-zero, 16 bits, never one still in use [MQTT-2.2.1-3] [MQTT-2.3.1-2].
import { SessionError } from './errors.js'

const MAX_ID = 0xffff

export class PacketIdAllocator {
  private readonly used = new Uint8Array(MAX_ID + 1)
  private inUse = 0
  private next = 1

  get size(): number {
    return this.inUse
  }

  /** The next free id after the last one handed out (round robin, so ids are not reused soon). */
  allocate(): number {
    if (this.inUse >= MAX_ID)
      throw new SessionError('ERR_PACKET_ID_EXHAUSTED', 'all 65535 packet identifiers are in use')
    let id = this.next
    while (this.used[id] === 1) id = id === MAX_ID ? 1 : id + 1
    this.claim(id)
    this.next = id === MAX_ID ? 1 : id + 1
    return id
  }

  /** Mark an id restored from a store as in use. */
  claim(id: number): void {
    if (this.used[id] === 1) return
    this.used[id] = 1
    this.inUse++
  }

  isUsed(id: number): boolean {
    return this.used[id] === 1
  }

  release(id: number): void {
    if (this.used[id] !== 1) return
    this.used[id] = 0
    this.inUse--
  }
}
