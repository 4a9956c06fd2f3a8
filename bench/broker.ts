// The broker every workload runs against: a Mosquitto started for the run (limits raised so that the broker
// is never the bottleneck being measured), or the embedded broker when Mosquitto is not installed.
import { readdirSync, readFileSync } from 'node:fs'
import { startBroker } from '../src/broker/index.js'
import { mosquittoAvailable, startMosquitto } from '../test/support/mosquitto.js'

export interface BenchBroker {
  url: string
  description: string
  /** Said once at the top of the report (e.g. the fallback). */
  note?: string
  /**
   * CPU time (user + system, µs) the broker process has used so far; undefined for the embedded broker, whose
   * CPU is the bench process's own.
   */
  cpuMicros?: () => number
  stop(): Promise<void>
}

/** Mosquitto settings for benchmarking: no caps on connections, in-flight windows or queues; default logging. */
const BENCH_CONFIG = [
  'max_connections -1',
  // 0 = unlimited; for MQTT 5 clients this also makes the CONNACK's Receive Maximum 65,535.
  'max_inflight_messages 0',
  'max_queued_messages 0',
  'max_queued_bytes 0',
  'set_tcp_nodelay true',
  // The test config logs every packet ('log_type all'): four formatted lines written to a file per QoS 1
  // message, a third of the broker's CPU, which capped Petrel's end-to-end throughput (docs/performance.md).
  // 'none' clears that mask; the four types after it are Mosquitto's default (information has the ' running'
  // line startMosquitto waits for).
  'log_type none',
  'log_type error',
  'log_type warning',
  'log_type notice',
  'log_type information',
  'connection_messages false',
]

export async function startBenchBroker(): Promise<BenchBroker> {
  if (mosquittoAvailable() !== undefined) {
    const mosquitto = await startMosquitto({ config: BENCH_CONFIG })
    const pid = processUsing(mosquitto.dir)
    const pidNote = pid === undefined ? '' : `, pid ${pid}`
    return {
      url: `mqtt://127.0.0.1:${mosquitto.port}`,
      description: `Mosquitto on port ${mosquitto.port}${pidNote} (${BENCH_CONFIG.join(', ')})`,
      cpuMicros: pid === undefined ? undefined : () => processCpuMicros(pid),
      stop: () => mosquitto.stop(),
    }
  }
  const embedded = await startBroker({ port: 0 })
  return {
    url: embedded.url,
    description: `embedded broker (Aedes) on port ${embedded.port}`,
    note: 'Mosquitto is not installed: falling back to the embedded broker, which runs in this process and shares its CPU, so the figures are lower and noisier than against Mosquitto',
    stop: () => embedded.close(),
  }
}

/** The process whose command line names `dir` (Mosquitto's config lives there); undefined without /proc. */
function processUsing(dir: string): number | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))
  } catch {
    return undefined
  }
  for (const entry of entries) {
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) return Number(entry)
    } catch {
      // the process ended while we looked
    }
  }
  return undefined
}

/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, counted after the parenthesised command name). */
function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks * 1_000_000) / TICKS_PER_SECOND
}
