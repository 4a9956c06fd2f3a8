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

function round(value: number): number {
  return value >= 100 ? Math.round(value) : Math.round(value * 100) / 100
}

function format(value: number): string {
  if (Number.isNaN(value)) return 'failed'
  return value.toLocaleString('en-US', { maximumFractionDigits: value >= 100 ? 0 : 2 })
}

/** One aligned line per result; `target` says what ratio the issue asks for. */
export function formatRow(entry: BenchResult, target?: string): string {
  return [
    entry.workload.padEnd(46),
    `${format(entry.petrel)} ${entry.unit}`.padStart(22),
    `${format(entry.mqttjs)} ${entry.unit}`.padStart(22),
    `${Number.isNaN(entry.ratio) ? '-' : entry.ratio.toFixed(2)}×`.padStart(8),
    target === undefined ? '' : `  (target ${target})`,
    entry.error === undefined ? '' : `\n    ${entry.error}`,
  ].join('  ')
}

export function formatHeader(): string {
  return ['workload'.padEnd(46), 'petrel'.padStart(22), 'mqtt.js'.padStart(22), 'ratio'.padStart(8)].join('  ')
}
