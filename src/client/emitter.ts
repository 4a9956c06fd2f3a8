// A small typed event emitter that runs in browsers (no node:events). Two differences from Node's:
// a listener that throws does not break the emitter's caller (the error goes to `onListenerError`), and
// emitting 'error' with no listener is not fatal (the owner decides where it goes).

export type Listener<A> = (arg: A) => void

export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  // Copy-on-write arrays: emit iterates the array it started with even if a listener removes itself.
  // The Map is made with the first listener: most idle clients have none.
  #listeners: Map<keyof Events, Array<Listener<never>>> | undefined
  readonly #onListenerError: (error: unknown, event: keyof Events) => void

  constructor(onListenerError: (error: unknown, event: keyof Events) => void) {
    this.#onListenerError = onListenerError
  }

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    this.#listeners ??= new Map()
    const current = this.#listeners.get(event) ?? []
    this.#listeners.set(event, [...current, listener as Listener<never>])
    this.listenerAdded(event)
    return this
  }

  /** Calls `listener` for the next `event` only. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const wrapper: Listener<Events[K]> & { original?: unknown } = (arg) => {
      this.off(event, wrapper)
      listener(arg)
    }
    wrapper.original = listener
    return this.on(event, wrapper)
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const current = this.#listeners?.get(event)
    if (current === undefined) return this
    const index = current.findIndex(
      (candidate) => candidate === listener || (candidate as { original?: unknown }).original === listener,
    )
    if (index === -1) return this
    const next = current.slice(0, index).concat(current.slice(index + 1))
    if (next.length === 0) this.#listeners?.delete(event)
    else this.#listeners?.set(event, next)
    return this
  }

  /** Removes every listener of `event`, or of every event. */
  removeAllListeners(event?: keyof Events): this {
    if (event === undefined) this.#listeners = undefined
    else this.#listeners?.delete(event)
    return this
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners?.get(event)?.length ?? 0
  }

  /** Returns false when nobody listened. */
  protected emit<K extends keyof Events>(event: K, arg: Events[K]): boolean {
    const listeners = this.#listeners?.get(event) as Array<Listener<Events[K]>> | undefined
    if (listeners === undefined) return false
    for (const listener of listeners) {
      try {
        listener(arg)
      } catch (error) {
        this.#onListenerError(error, event)
      }
    }
    return true
  }

  /** Hook for subclasses: a listener was just added for `event`. */
  protected listenerAdded(_event: keyof Events): void {}
}
