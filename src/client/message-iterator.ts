// client.messages(): an async iterator over received messages with a bounded buffer (mqtt_as's queue).
import type { Message } from './types.js'

export type OverflowPolicy = 'drop-oldest' | 'drop-newest'

export interface MessagesOptions {
  /** Messages buffered while the consumer is busy. Default 1000. */
  bufferSize?: number
  /** What to drop when the buffer is full. Default 'drop-oldest'. */
  overflow?: OverflowPolicy
}

export class MessageIterator implements AsyncIterableIterator<Message> {
  /** The topic filter this iterator receives, or undefined for every message. */
  readonly filter: string | undefined
  /** Messages dropped because the buffer was full. */
  discarded = 0
  readonly #bufferSize: number
  readonly #overflow: OverflowPolicy
  #buffer: Message[] = []
  #head = 0
  #waiting: ((result: IteratorResult<Message>) => void) | undefined
  #ended = false
  readonly #onEnd: (iterator: MessageIterator) => void

  constructor(filter: string | undefined, options: MessagesOptions, onEnd: (iterator: MessageIterator) => void) {
    this.filter = filter
    this.#bufferSize = Math.max(1, options.bufferSize ?? 1000)
    this.#overflow = options.overflow ?? 'drop-oldest'
    this.#onEnd = onEnd
  }

  /** Messages waiting to be read. */
  get buffered(): number {
    return this.#buffer.length - this.#head
  }

  get ended(): boolean {
    return this.#ended
  }

  /** @internal */
  push(message: Message): void {
    if (this.#ended) return
    if (this.#waiting !== undefined) {
      const resolve = this.#waiting
      this.#waiting = undefined
      resolve({ value: message, done: false })
      return
    }
    if (this.buffered >= this.#bufferSize) {
      this.discarded++
      if (this.#overflow === 'drop-newest') return
      this.#head++
    }
    this.#buffer.push(message)
  }

  next(): Promise<IteratorResult<Message>> {
    if (this.#head < this.#buffer.length) {
      const value = this.#buffer[this.#head++] as Message
      // Compact now and then so the array does not grow forever.
      if (this.#head > 1024 && this.#head * 2 > this.#buffer.length) {
        this.#buffer = this.#buffer.slice(this.#head)
        this.#head = 0
      }
      return Promise.resolve({ value, done: false })
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve) => {
      this.#waiting = resolve
    })
  }

  /** Called by `break` / `return` in a for-await loop: stops receiving. */
  return(): Promise<IteratorResult<Message>> {
    this.end()
    this.#buffer = []
    this.#head = 0
    return Promise.resolve({ value: undefined, done: true })
  }

  /** @internal Stops receiving; buffered messages can still be read, then the loop ends. */
  end(): void {
    if (this.#ended) return
    this.#ended = true
    this.#onEnd(this)
    const resolve = this.#waiting
    this.#waiting = undefined
    resolve?.({ value: undefined, done: true })
  }

  [Symbol.asyncIterator](): this {
    return this
  }
}
