// What petrel bench counts, its live progress line (TTY only) and its final report (a table, or --json).
import { performance } from 'node:perf_hooks'
import type { Histogram, HistogramSummary } from './histogram.js'

export interface BenchResult {
  scenario: 'conn' | 'pub' | 'sub'
  clients: number
  qos: number
  size: number
  connected: number
  failed: number
  sent: number
  acked: number
  publishFailed: number
  received: number
  /** pub: publish to completion (PUBACK / PUBCOMP / written). sub: end-to-end, from the payload's timestamp. */
  latency: Histogram
  connectLatency: Histogram
  startedAt: number
  endedAt?: number
  lastError?: string
}

const now = () => performance.timeOrigin + performance.now()

function elapsedSeconds(result: BenchResult): number {
  return Math.max(0.001, ((result.endedAt ?? now()) - result.startedAt) / 1000)
}

function line(result: BenchResult): string {
  const seconds = elapsedSeconds(result)
  const count =
    result.scenario === 'sub' ? result.received : result.scenario === 'pub' ? result.acked : result.connected
  const what = result.scenario === 'conn' ? 'connected' : result.scenario === 'pub' ? 'acked' : 'received'
  const p99 = result.scenario === 'conn' ? result.connectLatency.percentile(99) : result.latency.percentile(99)
  return `[${result.scenario}] ${seconds.toFixed(1)}s  clients ${result.connected}/${result.clients}  ${what} ${count}  ${Math.round(count / seconds)}/s  p99 ${p99.toFixed(2)} ms`
}

/** Rewrites one status line on stderr every second, on a TTY only. */
export class Progress {
  readonly #timer: ReturnType<typeof setInterval> | undefined

  constructor(result: BenchResult, enabled: boolean) {
    if (enabled) this.#timer = setInterval(() => process.stderr.write(`\r\x1b[K${line(result)}`), 1000)
  }

  stop(): void {
    if (this.#timer === undefined) return
    clearInterval(this.#timer)
    process.stderr.write('\r\x1b[K')
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000

function latencyJson(summary: HistogramSummary): Record<string, number> {
  return Object.fromEntries(Object.entries(summary).map(([key, value]) => [key, round(value)]))
}

/** The report as a plain object (the shape of --json). */
function reportObject(result: BenchResult): Record<string, unknown> {
  const seconds = elapsedSeconds(result)
  const counted = result.scenario === 'sub' ? result.received : result.acked
  return {
    scenario: result.scenario,
    clients: result.clients,
    connected: result.connected,
    connectFailed: result.failed,
    qos: result.qos,
    payloadSize: result.size,
    durationSeconds: round(seconds),
    messages: {
      sent: result.sent,
      acked: result.acked,
      failed: result.publishFailed,
      received: result.received,
      perSecond: round(counted / seconds),
    },
    latencyMs: latencyJson(result.latency.summary()),
    connectLatencyMs: latencyJson(result.connectLatency.summary()),
    ...(result.lastError === undefined ? {} : { lastError: result.lastError }),
  }
}

export function printSummary(result: BenchResult, json: boolean): void {
  const report = reportObject(result)
  if (json) {
    console.log(JSON.stringify(report, null, 2))
    return
  }
  const messages = report.messages as Record<string, number>
  const rows: Array<[string, string]> = [
    ['scenario', result.scenario],
    ['clients connected', `${result.connected} / ${result.clients} (${result.failed} failed)`],
    ['duration', `${report.durationSeconds} s`],
  ]
  if (result.scenario !== 'conn') {
    rows.push([
      'messages',
      `sent ${messages.sent}, acked ${messages.acked}, failed ${messages.failed}, received ${messages.received}`,
    ])
    rows.push(['throughput', `${messages.perSecond} msg/s`])
  }
  const histogram = result.scenario === 'conn' ? result.connectLatency : result.latency
  const s = histogram.summary()
  const label =
    result.scenario === 'conn'
      ? 'connect latency'
      : result.scenario === 'sub'
        ? 'end-to-end latency'
        : 'publish latency'
  rows.push([
    label,
    `p50 ${s.p50.toFixed(2)}  p90 ${s.p90.toFixed(2)}  p99 ${s.p99.toFixed(2)}  p99.9 ${s.p999.toFixed(2)}  max ${s.max.toFixed(2)} ms (${s.count} samples)`,
  ])
  if (result.lastError !== undefined) rows.push(['last error', result.lastError])
  const width = Math.max(...rows.map(([key]) => key.length))
  for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`)
}
