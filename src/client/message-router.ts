// Hands received messages to the application: per-topic handlers (Paho's message_callback_add), the plain
// 'message' listeners when no handler matched, and every messages() iterator whose filter matches.
// Messages that arrive while nothing is attached are held (bounded) for the first consumer attached.
import { topicMatches, validateTopicFilter } from '../packet/topic.js'
import type { MessageIterator } from './message-iterator.js'
import type { Message } from './types.js'

export type MessageHandler = (message: Message) => void

export interface MessageRouterHooks {
  /** Emits to the 'message' listeners; false when there are none. */
  emitUnhandled(message: Message): boolean
  hasMessageListeners(): boolean
  /** A per-topic handler threw. */
  onHandlerError(error: unknown): void
}

export class MessageRouter {
  /** Messages dropped because nothing was attached and the hold buffer was full. */
  heldDropped = 0
  // Made when the first handler / iterator is attached: most clients never use them.
  #handlers: Map<string, MessageHandler> | undefined
  #iterators: Set<MessageIterator> | undefined
  readonly #hooks: MessageRouterHooks
  readonly #holdLimit: number
  #held: Message[] | undefined // made when a message must wait
  #releaseScheduled = false

  constructor(hooks: MessageRouterHooks, holdLimit: number) {
    this.#hooks = hooks
    this.#holdLimit = holdLimit
  }

  /** Messages waiting for a first consumer. */
  get held(): number {
    return this.#held?.length ?? 0
  }

  /** Throws a typed error for an invalid filter. Replaces any handler already set for `filter`. */
  addHandler(filter: string, handler: MessageHandler): void {
    validateTopicFilter(filter)
    this.#handlers ??= new Map()
    this.#handlers.set(filter, handler)
    this.attached()
  }

  removeHandler(filter: string): boolean {
    return this.#handlers?.delete(filter) ?? false
  }

  addIterator(iterator: MessageIterator): void {
    this.#iterators ??= new Set()
    this.#iterators.add(iterator)
    this.attached()
  }

  removeIterator(iterator: MessageIterator): void {
    this.#iterators?.delete(iterator)
  }

  /** Ends every iterator (the client closed). */
  endIterators(): void {
    if (this.#iterators === undefined) return
    for (const iterator of [...this.#iterators]) iterator.end()
  }

  /** A consumer was attached: hand over held messages on a microtask, after the caller's code has run. */
  attached(): void {
    if (this.held === 0 || this.#releaseScheduled) return
    this.#releaseScheduled = true
    queueMicrotask(() => this.#release())
  }

  deliver(message: Message): void {
    // Keep arrival order: while held messages wait for their microtask, newer ones queue behind them.
    if (this.held > 0 || !this.#hasConsumer()) {
      if (this.held >= this.#holdLimit) {
        this.heldDropped++
        return
      }
      this.#held ??= []
      this.#held.push(message)
      if (this.#hasConsumer()) this.attached()
      return
    }
    this.#dispatch(message)
  }

  #hasConsumer(): boolean {
    return (this.#handlers?.size ?? 0) > 0 || (this.#iterators?.size ?? 0) > 0 || this.#hooks.hasMessageListeners()
  }

  #release(): void {
    this.#releaseScheduled = false
    const held = this.#held ?? []
    this.#held = undefined
    for (const message of held) this.#dispatch(message)
  }

  #dispatch(message: Message): void {
    let handled = false
    const handlers = this.#handlers
    if (handlers !== undefined && handlers.size > 0) {
      for (const [filter, handler] of handlers) {
        if (!topicMatches(filter, message.topic)) continue
        handled = true
        try {
          handler(message)
        } catch (error) {
          this.#hooks.onHandlerError(error)
        }
      }
    }
    if (!handled) this.#hooks.emitUnhandled(message)
    const iterators = this.#iterators
    if (iterators !== undefined && iterators.size > 0) {
      for (const iterator of iterators) {
        if (iterator.filter === undefined || topicMatches(iterator.filter, message.topic)) iterator.push(message)
      }
    }
  }
}
