// One direction of a fault-proxy connection: reads from one socket, writes to the other, and applies the
// proxy's faults (blackhole, delay, throttle, split, pause, cut) on the way.
import type { Socket } from 'node:net'

export type Flow = 'up' | 'down'

/** The proxy-wide fault settings, read at the moment each chunk is handled. */
export interface FaultSettings {
  blackhole: boolean
  paused: boolean
  delayMs: number
  bytesPerSecond: number
  splitEvery: number
}

interface Piece {
  data: Buffer
  readyAt: number
}

export class FaultPipe {
  private readonly queue: Piece[] = []
  private timer: NodeJS.Timeout | undefined
  private nextFreeAt = 0
  private sourceEnded = false
  private cut = false
  private waitingForDrain = false

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly settings: FaultSettings,
    private readonly forwarded: (bytes: number) => void,
  ) {
    from.on('data', (chunk: Buffer) => this.accept(chunk))
    from.on('end', () => {
      // A black hole swallows the FIN too: the other side must not learn that anything happened.
      if (this.settings.blackhole) return
      this.sourceEnded = true
      this.pump()
    })
    to.on('drain', () => {
      this.waitingForDrain = false
      this.pump()
    })
  }

  /** FIN the receiving side now, dropping what is queued; later bytes in this direction are dropped. */
  cutNow(): void {
    this.cut = true
    this.queue.length = 0
    this.clearTimer()
    if (!this.to.destroyed) this.to.end()
  }

  /** Re-evaluates pause and drains the queue (after resume(), or a change of settings). */
  pump(): void {
    if (this.cut || this.to.destroyed) return
    if (this.settings.paused || this.waitingForDrain) {
      this.from.pause()
      return
    }
    this.from.resume()
    if (this.timer !== undefined) return
    while (this.queue.length > 0) {
      const piece = this.queue[0]!
      const now = Date.now()
      const due = Math.max(piece.readyAt, this.settings.bytesPerSecond > 0 ? this.nextFreeAt : 0)
      if (due > now) {
        this.schedule(due - now)
        return
      }
      this.queue.shift()
      this.write(piece.data, now)
      if (this.waitingForDrain) {
        this.from.pause()
        return
      }
      // Split pieces go out one per macrotask so the receiver reads them separately.
      if (this.settings.splitEvery > 0 && this.queue.length > 0) {
        this.schedule(0)
        return
      }
    }
    if (this.sourceEnded) this.to.end()
  }

  dispose(): void {
    this.clearTimer()
    this.queue.length = 0
  }

  private accept(chunk: Buffer): void {
    if (this.cut || this.settings.blackhole) return
    const readyAt = Date.now() + this.settings.delayMs
    const size = this.pieceSize()
    for (let offset = 0; offset < chunk.length; offset += size) {
      this.queue.push({ data: chunk.subarray(offset, offset + size), readyAt })
    }
    this.pump()
  }

  /** splitEvery, and with a throttle at most a tenth of a second's worth, so the rate stays smooth. */
  private pieceSize(): number {
    const { splitEvery, bytesPerSecond } = this.settings
    const throttled = bytesPerSecond > 0 ? Math.max(1, Math.floor(bytesPerSecond / 10)) : Infinity
    const split = splitEvery > 0 ? splitEvery : Infinity
    return Math.min(split, throttled)
  }

  private write(data: Buffer, now: number): void {
    if (this.settings.bytesPerSecond > 0) {
      this.nextFreeAt = Math.max(this.nextFreeAt, now) + (data.length * 1000) / this.settings.bytesPerSecond
    }
    this.forwarded(data.length)
    if (!this.to.write(data)) this.waitingForDrain = true
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.pump()
    }, ms)
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }
}
