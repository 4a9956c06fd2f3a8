// The client's one timer. Everything time-driven (the session's deadlines, the connect timeout, the
// reconnect delay, closing grace periods) is folded into a single "wake me at" instant.

// setTimeout stores its delay in 32 bits; longer waits are split.
const MAX_DELAY = 2 ** 31 - 1

export class Alarm {
  readonly #fire: () => void
  readonly #now: () => number
  #handle: ReturnType<typeof setTimeout> | undefined
  #at: number | undefined

  constructor(fire: () => void, now: () => number) {
    this.#fire = fire
    this.#now = now
  }

  /**
   * Wake at `at` (ms on the client's clock), or never when undefined. An alarm already set earlier is
   * kept: waking early is harmless (the owner re-checks every deadline and sets the alarm again), while
   * re-arming a timer for every packet would be costly.
   */
  set(at: number | undefined): void {
    if (at === undefined) {
      this.clear()
      return
    }
    if (this.#handle !== undefined && this.#at !== undefined && this.#at <= at) return
    this.clear()
    this.#at = at
    const delay = Math.min(MAX_DELAY, Math.max(0, at - this.#now()))
    this.#handle = setTimeout(() => {
      this.#handle = undefined
      this.#at = undefined
      this.#fire()
    }, delay)
  }

  clear(): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle)
    this.#handle = undefined
    this.#at = undefined
  }
}
