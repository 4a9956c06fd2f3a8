// A log-linear latency histogram in the spirit of HdrHistogram: exact below 2^(bits+1) microseconds, then
// 2^bits linear sub-buckets per power of two (relative error under 2^-bits: 0.8 % with the default 7 bits).
// Memory grows with the largest value only: about 2^bits counters per doubling.

export interface HistogramSummary {
  count: number
  min: number
  mean: number
  p50: number
  p90: number
  p99: number
  p999: number
  max: number
}

export class Histogram {
  readonly #subBuckets: number
  readonly #bits: number
  #counts: number[] = []
  #count = 0
  #sum = 0
  #min = Number.POSITIVE_INFINITY
  #max = 0

  constructor(bits = 7) {
    this.#bits = bits
    this.#subBuckets = 1 << bits
  }

  get count(): number {
    return this.#count
  }

  /** Records a duration in milliseconds (kept at microsecond resolution; negative values count as 0). */
  record(milliseconds: number): void {
    const micros = Math.max(0, Math.min(Math.round(milliseconds * 1000), 2 ** 31 - 1))
    const index = this.#indexOf(micros)
    while (this.#counts.length <= index) this.#counts.push(0)
    this.#counts[index]!++
    this.#count++
    this.#sum += micros
    if (micros < this.#min) this.#min = micros
    if (micros > this.#max) this.#max = micros
  }

  #indexOf(micros: number): number {
    const m = this.#subBuckets
    if (micros < 2 * m) return micros
    const shift = 32 - Math.clz32(micros) - (this.#bits + 1)
    return (shift + 1) * m + ((micros >>> shift) - m)
  }

  /** The largest value that lands in bucket `index` (HdrHistogram's "highest equivalent value"). */
  #highestIn(index: number): number {
    const m = this.#subBuckets
    if (index < 2 * m) return index
    const shift = Math.floor(index / m) - 1
    return ((m + (index % m) + 1) << shift) - 1
  }

  /** The value (ms) at or below which `percentile` percent of the recorded values lie. */
  percentile(percentile: number): number {
    if (this.#count === 0) return 0
    const rank = Math.max(1, Math.ceil((percentile / 100) * this.#count))
    let seen = 0
    for (let index = 0; index < this.#counts.length; index++) {
      seen += this.#counts[index]!
      if (seen >= rank) return Math.min(this.#highestIn(index), this.#max) / 1000
    }
    return this.#max / 1000
  }

  /** Adds another histogram's counts (same bits) to this one. */
  merge(other: Histogram): void {
    other.#counts.forEach((n, index) => {
      while (this.#counts.length <= index) this.#counts.push(0)
      this.#counts[index]! += n
    })
    this.#count += other.#count
    this.#sum += other.#sum
    this.#min = Math.min(this.#min, other.#min)
    this.#max = Math.max(this.#max, other.#max)
  }

  summary(): HistogramSummary {
    const empty = this.#count === 0
    return {
      count: this.#count,
      min: empty ? 0 : this.#min / 1000,
      mean: empty ? 0 : this.#sum / this.#count / 1000,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.#max / 1000,
    }
  }
}
