// The timed workloads, written once against BenchClient so both libraries run exactly the same code.
import { performance } from 'node:perf_hooks'
import type { BenchClient, BenchQoS, Library } from './libraries.js'

/** Every benchmark message carries this 64-byte payload (a Buffer, which both libraries accept). */
export const PAYLOAD = Buffer.alloc(64, 0x61)

let sequence = 0
function unique(label: string): string {
  sequence += 1
  return `${label}-${process.pid}-${sequence}`
}

/** Rejects after `ms` so that a stuck library fails the run instead of hanging it. */
function bounded<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no completion within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export interface BenchContext {
  url: string
  protocolVersion: 4 | 5
  /** The broker's CPU time so far (µs), when it runs in its own process. */
  brokerCpuMicros?: () => number
}

/** One end-to-end run: the throughput and what each message cost in CPU. */
export interface EndToEndSample {
  rate: number
  /** This process's CPU (publisher and subscriber together, user + system) per message, µs. */
  clientMicrosPerMessage: number
  /** The broker's CPU per message, µs; undefined when the broker shares this process. */
  brokerMicrosPerMessage?: number
  /** The broker's CPU time over the run's wall time: 1 is one core fully busy. */
  brokerBusy?: number
}

/**
 * End-to-end throughput: one publisher, one subscriber, `window` messages between publish and receipt at
 * any time (a new publish goes out each time the subscriber receives one). Resolves with messages/s and the
 * CPU per message of this process and of the broker: when the broker is the bottleneck, the throughput of
 * both libraries converges on its limit and the client's own CPU per message is what tells them apart.
 */
export async function endToEnd(
  library: Library,
  context: BenchContext,
  qos: BenchQoS,
  count: number,
  window = 100,
): Promise<EndToEndSample> {
  const topic = unique(`bench/e2e/q${qos}`)
  const subscriber = await library.connect(context.url, unique('sub'), context.protocolVersion)
  const publisher = await library.connect(context.url, unique('pub'), context.protocolVersion)
  try {
    await subscriber.subscribe(topic, qos)
    let sent = 0
    let received = 0
    let completed = 0
    let finish: () => void = () => undefined
    let fail: (error: unknown) => void = () => undefined
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve
      fail = reject
    })
    const check = () => {
      if (received === count && completed === count) finish()
    }
    const onComplete = () => {
      completed += 1
      check()
    }
    const send = () => {
      sent += 1
      publisher.publish(topic, PAYLOAD, qos).then(onComplete, fail)
    }
    subscriber.onMessage(() => {
      received += 1
      if (sent < count) send()
      check()
    })
    const brokerStart = context.brokerCpuMicros?.()
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    for (let i = 0; i < Math.min(window, count); i++) send()
    await bounded(`end-to-end QoS ${qos} (${library.name})`, done, 120_000)
    const elapsedMs = performance.now() - start
    const cpu = process.cpuUsage(cpuStart)
    const sample: EndToEndSample = {
      rate: count / (elapsedMs / 1000),
      clientMicrosPerMessage: (cpu.user + cpu.system) / count,
    }
    if (brokerStart !== undefined && context.brokerCpuMicros !== undefined) {
      const brokerMicros = context.brokerCpuMicros() - brokerStart
      sample.brokerMicrosPerMessage = brokerMicros / count
      sample.brokerBusy = brokerMicros / (elapsedMs * 1000)
    }
    return sample
  } finally {
    await endAll([publisher, subscriber])
  }
}

/** A burst: `size` QoS 1 publishes all started at once, then awaited together. Resolves with messages/s. */
export async function burst(library: Library, context: BenchContext, size: number, timeoutMs: number): Promise<number> {
  const topic = unique('bench/burst')
  const publisher = await library.connect(context.url, unique('burst'), context.protocolVersion)
  try {
    const start = performance.now()
    const pending: PromiseLike<unknown>[] = new Array(size)
    for (let i = 0; i < size; i++) pending[i] = publisher.publish(topic, PAYLOAD, 1)
    await bounded(`burst of ${size} (${library.name})`, Promise.all(pending), timeoutMs)
    return size / ((performance.now() - start) / 1000)
  } finally {
    await endAll([publisher])
  }
}

/** Connect (to CONNACK) and disconnect `count` clients, `concurrency` at a time. Resolves with connections/s. */
export async function connectionRate(
  library: Library,
  context: BenchContext,
  count: number,
  concurrency = 8,
): Promise<number> {
  let started = 0
  const worker = async () => {
    while (started < count) {
      started += 1
      const client = await library.connect(context.url, unique('conn'), context.protocolVersion)
      await client.end()
    }
  }
  const start = performance.now()
  await bounded(
    `${count} connections (${library.name})`,
    Promise.all(Array.from({ length: concurrency }, worker)),
    120_000,
  )
  return count / ((performance.now() - start) / 1000)
}

async function endAll(clients: BenchClient[]): Promise<void> {
  await Promise.all(clients.map((client) => bounded('disconnect', client.end(), 10_000).catch(() => undefined)))
}
