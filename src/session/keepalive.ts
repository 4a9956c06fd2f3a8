// Liveness of the connection. A PINGREQ is due when either direction has been idle for the ping interval —
// the keepalive, or mqtt_as's shorter `pingInterval` — i.e. at min(lastSent, lastReceived) + interval. That
// covers [MQTT-3.1.2-20] / 3.1.1 [MQTT-3.1.2-23] (nothing sent for keepalive seconds) and also notices a
// silent server. While an answer is awaited (an ack, a SUBACK...) and nothing arrives for the response
// timeout, a PINGREQ goes out as a probe; the link is dead when a PINGRESP does not come within the
// response timeout (any byte received meanwhile renews the wait).

/** Default response timeout: half the keepalive interval, at most 30 s (well inside the server's 1.5x). */
function defaultResponseTimeout(keepaliveSeconds: number): number {
  return Math.min((keepaliveSeconds * 1000) / 2, 30_000)
}

export interface LivenessOptions {
  /** Seconds; 0 disables pings (unless pingIntervalMs is set). */
  keepaliveSeconds: number
  /** Ping more often than the keepalive (ms); undefined or 0: the keepalive alone. */
  pingIntervalMs?: number
  /** How long an expected answer may take (ms); default half the keepalive, at most 30 s. */
  responseTimeoutMs?: number
}

export class Keepalive {
  /** 0: no pings. */
  private intervalMs = 0
  /** 0: no response deadline. */
  private timeoutMs = 0
  private lastSent = 0
  private lastReceived = 0
  private pingSentAt: number | undefined
  /** When the oldest packet still waiting for an answer (PUBLISH, PUBREL, SUBSCRIBE...) was written. */
  private awaitingSince: number | undefined

  /** Start on a CONNACK. */
  start(options: LivenessOptions, now: number): void {
    const keepaliveMs = options.keepaliveSeconds * 1000
    const ping = options.pingIntervalMs ?? 0
    this.intervalMs = keepaliveMs === 0 ? ping : ping > 0 ? Math.min(ping, keepaliveMs) : keepaliveMs
    this.timeoutMs = options.responseTimeoutMs ?? defaultResponseTimeout(this.intervalMs / 1000)
    if (this.intervalMs > 0 && this.timeoutMs <= 0) this.timeoutMs = defaultResponseTimeout(this.intervalMs / 1000)
    this.lastSent = now
    this.lastReceived = now
    this.pingSentAt = undefined
    this.awaitingSince = undefined
  }

  stop(): void {
    this.intervalMs = 0
    this.timeoutMs = 0
    this.pingSentAt = undefined
    this.awaitingSince = undefined
  }

  sent(now: number): void {
    this.lastSent = now
  }

  received(now: number): void {
    this.lastReceived = now
  }

  /** A packet that needs an answer went out. */
  expectAnswer(now: number): void {
    if (this.awaitingSince === undefined) this.awaitingSince = now
  }

  /** Nothing waits for an answer any more. */
  answered(): void {
    this.awaitingSince = undefined
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
    if (this.pingSentAt !== undefined) return this.deadAt(this.pingSentAt)
    return this.pingDueAt()
  }

  /** What `tick(now)` must do. */
  due(now: number): 'ping' | 'timeout' | undefined {
    const deadline = this.nextDeadline()
    if (deadline === undefined || now < deadline) return undefined
    return this.pingSentAt === undefined ? 'ping' : 'timeout'
  }

  /**
   * A PINGREQ is due after `interval` of idleness in either direction, or as a probe when an answer has been
   * awaited for the response timeout with nothing received meanwhile: a slow server still answers the
   * probe, a dead link does not.
   */
  private pingDueAt(): number | undefined {
    const idle = this.intervalMs === 0 ? undefined : Math.min(this.lastSent, this.lastReceived) + this.intervalMs
    const probe = this.awaitingSince === undefined ? undefined : this.deadAt(this.awaitingSince)
    return earliest(idle, probe)
  }

  /** Any byte received renews the wait: the link is alive, the answer may be queued behind other data. */
  private deadAt(since: number): number | undefined {
    return this.timeoutMs === 0 ? undefined : Math.max(since, this.lastReceived) + this.timeoutMs
  }
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b
  return b === undefined || a <= b ? a : b
}
