// The soak's fault injector: every `everyMs` one random fault on the fault proxy — cut (FIN), reset (RST),
// a brief black hole (then RST: the bytes it swallowed are gone, so the stream cannot go on), delay, or
// split into tiny pieces. Each fault ends before the next one starts.
import type { FaultProxy } from '../../test/support/fault-proxy.js'

export const FAULT_KINDS = ['cut', 'reset', 'blackhole', 'delay', 'split'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export interface FaultInjector {
  readonly count: number
  readonly byKind: Record<FaultKind, number>
  /** Stops injecting and undoes the fault in progress. */
  stop(): void
}

export function injectFaults(proxy: FaultProxy, everyMs: number, random: () => number = Math.random): FaultInjector {
  const byKind: Record<FaultKind, number> = { cut: 0, reset: 0, blackhole: 0, delay: 0, split: 0 }
  let count = 0
  let undo: (() => void) | undefined
  let undoTimer: NodeJS.Timeout | undefined
  // A fault lasts at most 60% of the period (and 500 ms), so the link works some of the time.
  const span = () => Math.max(10, Math.floor(Math.min(everyMs * 0.6, 500) * (0.3 + 0.7 * random())))

  const endFault = () => {
    if (undoTimer !== undefined) clearTimeout(undoTimer)
    undoTimer = undefined
    const pending = undo
    undo = undefined
    pending?.()
  }

  const inject = () => {
    endFault()
    const kind = FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)]!
    count++
    byKind[kind]++
    switch (kind) {
      case 'cut':
        proxy.cut({ direction: random() < 0.5 ? 'both' : random() < 0.5 ? 'up' : 'down' })
        return
      case 'reset':
        proxy.reset()
        return
      case 'blackhole':
        proxy.blackhole(true)
        undo = () => {
          proxy.reset()
          proxy.blackhole(false)
        }
        break
      case 'delay':
        proxy.delay(5 + Math.floor(random() * 100))
        undo = () => proxy.delay(0)
        break
      case 'split':
        proxy.splitEvery(1 + Math.floor(random() * 16))
        undo = () => proxy.splitEvery(0)
        break
    }
    undoTimer = setTimeout(endFault, span())
  }

  const interval = setInterval(inject, everyMs)
  return {
    get count() {
      return count
    },
    byKind,
    stop() {
      clearInterval(interval)
      endFault()
    },
  }
}
