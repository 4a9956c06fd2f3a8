// Medians, ratios and the two output formats of `npm run bench`.

export interface BenchResult {
  workload: string
  petrel: number
  mqttjs: number
  unit: string
  /** petrel / mqttjs. */
  ratio: number
  /** Why a library failed the workload in some round (its samples are NaN, null in JSON). */
  error?: string
  // End-to-end only, medians over the rounds: CPU per message (µs) of the bench process (publisher and
  // subscriber), of the broker, and the broker's busy share of one core.
  petrelClientMicrosPerMessage?: number
  mqttjsClientMicrosPerMessage?: number
  petrelBrokerMicrosPerMessage?: number
  mqttjsBrokerMicrosPerMessage?: number
  petrelBrokerBusy?: number
  mqttjsBrokerBusy?: number
}

/** What one end-to-end round cost in CPU (see EndToEndSample). */
export interface CpuSample {
  clientMicrosPerMessage: number
  brokerMicrosPerMessage?: number
  brokerBusy?: number
}

/** The median; NaN when any sample is NaN (a failed round is not hidden by the others). */
export function median(values: readonly number[]): number {
  if (values.length === 0 || values.some(Number.isNaN)) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function result(
  workload: string,
  unit: string,
  petrel: readonly number[],
  mqttjs: readonly number[],
): BenchResult {
  const p = median(petrel)
  const m = median(mqttjs)
  return { workload, petrel: round(p), mqttjs: round(m), unit, ratio: Math.round((p / m) * 100) / 100 }
}

/** Adds the medians of the rounds' CPU figures to `entry` (a failed library has none). */
export function addCpu(entry: BenchResult, petrel: readonly CpuSample[], mqttjs: readonly CpuSample[]): void {
  const pick = (samples: readonly CpuSample[], key: keyof CpuSample) => {
    const values = samples.map((sample) => sample[key]).filter((value) => value !== undefined)
    return values.length === 0 ? undefined : Math.round(median(values) * 100) / 100
  }
  entry.petrelClientMicrosPerMessage = pick(petrel, 'clientMicrosPerMessage')
  entry.mqttjsClientMicrosPerMessage = pick(mqttjs, 'clientMicrosPerMessage')
  entry.petrelBrokerMicrosPerMessage = pick(petrel, 'brokerMicrosPerMessage')
  entry.mqttjsBrokerMicrosPerMessage = pick(mqttjs, 'brokerMicrosPerMessage')
  entry.petrelBrokerBusy = pick(petrel, 'brokerBusy')
  entry.mqttjsBrokerBusy = pick(mqttjs, 'brokerBusy')
}

function round(value: number): number {
  return value >= 100 ? Math.round(value) : Math.round(value * 100) / 100
}

function format(value: number): string {
  if (Number.isNaN(value)) return 'failed'
  return value.toLocaleString('en-US', { maximumFractionDigits: value >= 100 ? 0 : 2 })
}

/** One aligned line per result; `target` says what ratio the issue asks for. */
export function formatRow(entry: BenchResult, target?: string): string {
  const columns = [
    entry.workload.padEnd(46),
    `${format(entry.petrel)} ${entry.unit}`.padStart(22),
    `${format(entry.mqttjs)} ${entry.unit}`.padStart(22),
    `${Number.isNaN(entry.ratio) ? '-' : entry.ratio.toFixed(2)}×`.padStart(8),
    target === undefined ? '' : `  (target ${target})`,
  ]
  const error = entry.error === undefined ? '' : `\n    ${entry.error}`
  return columns.join('  ').trimEnd() + error + formatCpu(entry)
}

/** The CPU line under an end-to-end row: client and broker µs per message, and how busy the broker was. */
function formatCpu(entry: BenchResult): string {
  if (entry.petrelClientMicrosPerMessage === undefined && entry.mqttjsClientMicrosPerMessage === undefined) return ''
  const micros = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1))
  const busy = (value: number | undefined) => (value === undefined ? '-' : `${Math.round(value * 100)}%`)
  const client = `${micros(entry.petrelClientMicrosPerMessage)} vs ${micros(entry.mqttjsClientMicrosPerMessage)}`
  let line = `\n    CPU µs/msg: client ${client}`
  if (entry.petrelBrokerMicrosPerMessage !== undefined || entry.mqttjsBrokerMicrosPerMessage !== undefined) {
    line += `, broker ${micros(entry.petrelBrokerMicrosPerMessage)} vs ${micros(entry.mqttjsBrokerMicrosPerMessage)}`
    line += ` (broker busy ${busy(entry.petrelBrokerBusy)} vs ${busy(entry.mqttjsBrokerBusy)} of a core)`
  }
  return line
}

export function formatHeader(): string {
  return ['workload'.padEnd(46), 'petrel'.padStart(22), 'mqtt.js'.padStart(22), 'ratio'.padStart(8)].join('  ')
}
