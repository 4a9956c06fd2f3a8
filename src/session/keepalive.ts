// Keepalive: a PINGREQ is due when either direction has been idle for the keepalive interval, i.e. at
// min(lastSent, lastReceived) + keepalive. That covers [MQTT-3.1.2-20] / 3.1.1 [MQTT-3.1.2-23] (nothing
// sent for keepalive seconds) and also notices a silent server. Without a PINGRESP within the response
// timeout, the connection is considered lost.

/** Default response timeout: half the keepalive interval, at most 30 s (well inside the server's 1.5x). */
export function defaultResponseTimeout(keepaliveSeconds: number): number {
  return Math.min((keepaliveSeconds * 1000) / 2, 30_000)
}

export class Keepalive {
  private intervalMs = 0
  private timeoutMs = 0
  private lastSent = 0
  private lastReceived = 0
  private pingSentAt: number | undefined

  /** Start on a CONNACK (keepalive in seconds, 0 disables it). */
  start(keepaliveSeconds: number, responseTimeoutMs: number | undefined, now: number): void {
    this.intervalMs = keepaliveSeconds * 1000
    this.timeoutMs = responseTimeoutMs ?? defaultResponseTimeout(keepaliveSeconds)
    this.lastSent = now
    this.lastReceived = now
    this.pingSentAt = undefined
  }

  stop(): void {
    this.intervalMs = 0
    this.pingSentAt = undefined
  }

  sent(now: number): void {
    this.lastSent = now
  }

  received(now: number): void {
    this.lastReceived = now
  }

  /** A PINGREQ went out. */
  pinged(now: number): void {
    this.pingSentAt = now
    this.lastSent = now
  }

  /** A PINGRESP arrived: the round trip, or undefined when no PINGREQ was outstanding. */
  ponged(now: number): number | undefined {
    const sentAt = this.pingSentAt
    this.pingSentAt = undefined
    return sentAt === undefined ? undefined : now - sentAt
  }

  nextDeadline(): number | undefined {
    if (this.intervalMs === 0) return undefined
    if (this.pingSentAt !== undefined) return this.pingSentAt + this.timeoutMs
    return Math.min(this.lastSent, this.lastReceived) + this.intervalMs
  }

  /** What `tick(now)` must do. */
  due(now: number): 'ping' | 'timeout' | undefined {
    const deadline = this.nextDeadline()
    if (deadline === undefined || now < deadline) return undefined
    return this.pingSentAt === undefined ? 'ping' : 'timeout'
  }
}
