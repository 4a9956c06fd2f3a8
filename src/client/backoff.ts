// Reconnect delays: exponential backoff with a cap and proportional jitter.

export interface BackoffOptions {
  /** Delay before the first reconnect attempt, ms. Default 1000. */
  minDelay?: number
  /** Cap of the delay, ms. Default 30000. */
  maxDelay?: number
  /**
   * Proportional jitter in [0, 1], default 0.5: the delay is drawn uniformly from
   * [base × (1 − jitter), base]. 0 = no randomness; 1 = "full jitter" (anything from 0 to base).
   */
  jitter?: number
}

export const DEFAULT_BACKOFF = { minDelay: 1000, maxDelay: 30_000, jitter: 0.5 } as const

/**
 * The delay before reconnect attempt `attempt` (1 for the first): minDelay doubled per attempt up to
 * maxDelay, then jittered. `random` is injectable so tests can pin it.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const minDelay = Math.max(0, options.minDelay ?? DEFAULT_BACKOFF.minDelay)
  const maxDelay = Math.max(minDelay, options.maxDelay ?? DEFAULT_BACKOFF.maxDelay)
  const jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULT_BACKOFF.jitter))
  // 2 ** 30 already exceeds any sane cap; clamping the exponent avoids Infinity.
  const base = Math.min(maxDelay, minDelay * 2 ** Math.min(30, Math.max(0, attempt - 1)))
  return Math.round(base * (1 - jitter * random()))
}
