// `npm run bench`: Petrel against MQTT.js on the same broker in one run, 64-byte payloads.
//   npm run bench                 a table with the median of interleaved rounds and the ratio
//   npm run bench -- --json       one JSON object per line: {"workload","petrel","mqttjs","unit","ratio"}, plus
//                                 CPU per message for the end-to-end workloads (see BenchResult)
//   npm run bench -- --quick      fewer messages and rounds (a smoke run)
//   npm run bench -- --only=burst only the workloads whose name contains the word
//   npm run bench -- --v5         MQTT 5 for both libraries (default: MQTT 3.1.1, which both brokers speak)
// Rounds are interleaved (petrel, mqttjs, petrel, mqttjs...) so that drift in the machine or the broker
// hits both libraries alike; the median of the rounds is reported.
import { execFile } from 'node:child_process'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type BenchBroker, startBenchBroker } from './broker.js'
import { LIBRARIES, type Library, type LibraryName } from './libraries.js'
import { addCpu, type BenchResult, type CpuSample, formatHeader, formatRow, result } from './stats.js'
import { type BenchContext, burst, connectionRate, endToEnd } from './workloads.js'

const args = process.argv.slice(2)
const json = args.includes('--json')
const quick = args.includes('--quick')
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length)
const protocolVersion = args.includes('--v5') ? 5 : 4

const ROUNDS = quick ? 1 : 3
// End-to-end throughput is the noisiest figure on a shared machine (both clients and the broker compete for
// two cores): more rounds, and samples of about a second, so that the median means something.
const E2E_ROUNDS = quick ? 1 : 5
const E2E_COUNT: Record<0 | 1 | 2, number> = quick
  ? { 0: 5_000, 1: 5_000, 2: 2_000 }
  : { 0: 100_000, 1: 60_000, 2: 40_000 }
const BURST_SIZES = quick ? [1_000, 5_000, 10_000] : [10_000, 50_000, 100_000]
/** A library slower than this on a burst is reported as "did not finish" rather than stalling the run. */
const BURST_TIMEOUT_MS = 30_000
const CONNECTIONS = quick ? 100 : 1_000
const IDLE_CONNECTIONS = quick ? 500 : 5_000

const say = (line: string) => {
  if (!json) console.log(line)
}

/** One round's figure, and for end-to-end workloads what it cost in CPU. */
interface Measured {
  value: number
  cpu?: CpuSample
}

/** Runs `measure` for each library in turn, `rounds` times, and returns the median of each. */
async function interleaved(
  workload: string,
  unit: string,
  rounds: number,
  measure: (library: Library) => Promise<Measured>,
  target?: string,
): Promise<BenchResult> {
  const samples: Record<LibraryName, number[]> = { petrel: [], mqttjs: [] }
  const cpu: Record<LibraryName, CpuSample[]> = { petrel: [], mqttjs: [] }
  const failures: string[] = []
  for (let round = 0; round < rounds; round++) {
    for (const name of ['petrel', 'mqttjs'] as const) {
      // A library that fails a workload is reported as failed (NaN, null in JSON) and not run again for it.
      if (samples[name].some(Number.isNaN)) continue
      const sample = await measure(LIBRARIES[name]).catch((error: unknown): Measured => {
        failures.push(`${name}: ${describeError(error)}`)
        return { value: Number.NaN }
      })
      samples[name].push(sample.value)
      if (sample.cpu !== undefined) cpu[name].push(sample.cpu)
    }
  }
  const entry = result(workload, unit, samples.petrel, samples.mqttjs)
  if (cpu.petrel.length > 0 || cpu.mqttjs.length > 0) addCpu(entry, cpu.petrel, cpu.mqttjs)
  if (failures.length > 0) entry.error = [...new Set(failures)].join('; ')
  if (json) console.log(JSON.stringify(entry))
  else say(formatRow(entry, target))
  return entry
}

function describeError(error: unknown): string {
  if (error instanceof Error) return 'code' in error ? `${String(error.code)}: ${error.message}` : error.message
  return String(error)
}

const selected = (name: string) => only === undefined || name.includes(only)

async function idleMemory(broker: BenchBroker): Promise<void> {
  const script = fileURLToPath(new URL('./idle-connections.ts', import.meta.url))
  const measure = async (name: LibraryName) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', script, name, broker.url, String(IDLE_CONNECTIONS), String(protocolVersion)],
      { timeout: 120_000, maxBuffer: 1 << 20 },
    )
    return JSON.parse(stdout.trim().split('\n').pop()!) as IdleMemory
  }
  // Interleaved rounds like the timed workloads, one fresh process per library and round; medians reported.
  const samples: Record<LibraryName, IdleMemory[]> = { petrel: [], mqttjs: [] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['petrel', 'mqttjs'] as const) samples[name].push(await measure(name))
  }
  const rows: Array<[string, (m: IdleMemory) => number, string | undefined]> = [
    ['heap', (m) => m.heapPerConnection, undefined],
    ['external + array buffers', (m) => m.externalPerConnection, undefined],
    // What the target is about: everything the JS engine holds for a connection, in and out of its heap.
    ['heap + external', (m) => m.heapPerConnection + m.externalPerConnection, '≤ 0.5×'],
    ['rss', (m) => m.rssPerConnection, undefined],
  ]
  for (const [label, pick, target] of rows) {
    const entry = result(
      `memory/idle connection (${label})`,
      'bytes',
      samples.petrel.map(pick),
      samples.mqttjs.map(pick),
    )
    if (json) console.log(JSON.stringify(entry))
    else say(formatRow(entry, target))
  }
}

interface IdleMemory {
  heapPerConnection: number
  externalPerConnection: number
  rssPerConnection: number
}

async function main(): Promise<void> {
  const broker = await startBenchBroker()
  const context: BenchContext = { url: broker.url, protocolVersion, brokerCpuMicros: broker.cpuMicros }
  const started = Date.now()
  say(`broker: ${broker.description}`)
  // Other processes competing for the CPU make every figure noisier: say how busy the machine was.
  say(`machine: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)} at the start`)
  if (broker.note !== undefined) say(`note: ${broker.note}`)
  say(
    `protocol: MQTT ${protocolVersion === 5 ? '5.0' : '3.1.1'}, payload 64 bytes, median of ${E2E_ROUNDS} (end-to-end) or ${ROUNDS} (others) interleaved round(s)`,
  )
  say('')
  say(formatHeader())
  try {
    for (const qos of [0, 1, 2] as const) {
      const name = `end-to-end QoS ${qos} (100 in flight)`
      if (selected(name)) {
        const measure = async (lib: Library): Promise<Measured> => {
          const { rate, ...cpu } = await endToEnd(lib, context, qos, E2E_COUNT[qos])
          return { value: rate, cpu }
        }
        await interleaved(name, 'msg/s', E2E_ROUNDS, measure, '≥ 1.5×')
      }
    }
    for (const size of BURST_SIZES) {
      const name = `burst ${size.toLocaleString('en-US')} QoS 1`
      if (selected(name)) {
        await interleaved(
          name,
          'msg/s',
          ROUNDS,
          async (lib) => ({ value: await burst(lib, context, size, BURST_TIMEOUT_MS) }),
          '≥ 100,000 msg/s',
        )
      }
    }
    const connections = 'connections/s (connect + CONNACK + DISCONNECT)'
    if (selected(connections)) {
      await interleaved(connections, 'conn/s', ROUNDS, async (lib) => ({
        value: await connectionRate(lib, context, CONNECTIONS),
      }))
    }
    if (selected('memory/idle connection')) await idleMemory(broker)
  } finally {
    await broker.stop()
  }
  say('')
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

main().catch((error: unknown) => {
  console.error('bench failed:', error instanceof Error ? (error.stack ?? error.message) : error)
  process.exit(1)
})
