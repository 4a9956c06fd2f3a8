// petrel bench: a load tool in the spirit of emqtt-bench. `conn` opens N connections, `pub` publishes at a
// rate from N clients, `sub` receives on N clients; latencies go into a log-linear histogram and the run
// ends with a summary table (or --json). Payloads of 12 bytes or more carry a send timestamp, so a `sub`
// run measures end-to-end latency of a concurrent `pub` run.
import { performance } from 'node:perf_hooks'
import type { Client } from '../client/client.js'
import { createClient } from '../client/create.js'
import type { QoS } from '../packet/types.js'
import { type FlagSpec, intOption, type ParsedArgs, parseArgs, UsageError } from './args.js'
import { type BenchResult, Progress, printSummary } from './bench-report.js'
import { CONNECTION_FLAGS, connectionFromArgs, qosOption } from './connection.js'
import { Histogram } from './histogram.js'
import { EXIT, reportError } from './run.js'

const BENCH_USAGE = `Usage: petrel bench conn|pub|sub [-h host] [-p port | -L URL] [-c clients] [-I interval-ms | --rate msg/s]
                  [-n messages-per-client] [-d seconds] [-s payload-size] [-q qos] [-t topic-with-%i]
                  [--connect-interval ms] [--prefix client-id-prefix] [-u username -P password] [-V 5|311|31] [--json]
See docs/cli.md.`

const { '-i': _id, '-I': _prefix, '--id': _longId, '--id-prefix': _longPrefix, ...SHARED } = CONNECTION_FLAGS
const FLAGS: Record<string, FlagSpec> = {
  ...SHARED,
  '-c': { name: 'clients', kind: 'value' },
  '--count': { name: 'clients', kind: 'value' },
  '-I': { name: 'interval', kind: 'value' },
  '--interval': { name: 'interval', kind: 'value' },
  '--rate': { name: 'rate', kind: 'value' },
  '-n': { name: 'messages', kind: 'value' },
  '-d': { name: 'duration', kind: 'value' },
  '--duration': { name: 'duration', kind: 'value' },
  '-s': { name: 'size', kind: 'value' },
  '--size': { name: 'size', kind: 'value' },
  '-t': { name: 'topic', kind: 'value' },
  '--topic': { name: 'topic', kind: 'value' },
  '--connect-interval': { name: 'connect-interval', kind: 'value' },
  '--prefix': { name: 'prefix', kind: 'value' },
  '--json': { name: 'json', kind: 'flag' },
}

const MAGIC = 0x5054524c // 'PTRL': the payload starts with a send timestamp
const TICK_MS = 10

const now = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Settings {
  scenario: 'conn' | 'pub' | 'sub'
  clients: number
  rate: number
  messages: number
  durationMs: number
  size: number
  qos: QoS
  topic: string
  connectInterval: number
  json: boolean
}

function settingsFrom(args: ParsedArgs): Settings {
  const scenario = args.positionals[0]
  if (scenario !== 'conn' && scenario !== 'pub' && scenario !== 'sub')
    throw new UsageError('bench needs a scenario: conn, pub or sub')
  const clients = intOption(args, 'clients', '-c', 10, 1, 100_000)
  const interval = intOption(args, 'interval', '-I', 1000, 1, 3_600_000)
  const rate = args.values.has('rate')
    ? intOption(args, 'rate', '--rate', 0, 1, 10_000_000)
    : (clients * 1000) / interval
  const messages = intOption(args, 'messages', '-n', 0, 0, Number.MAX_SAFE_INTEGER)
  const defaultDuration = scenario === 'conn' || messages > 0 ? 0 : 10
  return {
    scenario,
    clients,
    rate,
    messages,
    durationMs: intOption(args, 'duration', '-d', defaultDuration, 0, 86_400) * 1000,
    size: intOption(args, 'size', '-s', 256, 0, 256 * 1024 * 1024),
    qos: qosOption(args),
    topic: args.values.get('topic') ?? 'petrel/bench/%i',
    connectInterval: intOption(args, 'connect-interval', '--connect-interval', 0, 0, 60_000),
    json: args.flags.has('json'),
  }
}

function payload(size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  if (size >= 12) {
    const view = new DataView(bytes.buffer)
    view.setUint32(0, MAGIC)
    view.setFloat64(4, now())
  }
  return bytes
}

function sentAt(bytes: Uint8Array): number | undefined {
  if (bytes.length < 12) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return view.getUint32(0) === MAGIC ? view.getFloat64(4) : undefined
}

/** Connects `count` clients (spaced by connectInterval), recording connect latencies. */
async function connectAll(count: number, settings: Settings, args: ParsedArgs, result: BenchResult): Promise<Client[]> {
  const { url, options } = connectionFromArgs(args, 'pub')
  const prefix = args.values.get('prefix') ?? `petrel-bench-${process.pid}-`
  const clients: Client[] = []
  const attempts: Array<Promise<void>> = []
  for (let i = 0; i < count; i++) {
    const client = createClient(url, { ...options, clientId: `${prefix}${i}`, maxQueued: 100_000 })
    const started = now()
    attempts.push(
      client.connect().then(
        () => {
          result.connectLatency.record(now() - started)
          result.connected++
          clients[i] = client
        },
        (error: Error) => {
          result.failed++
          result.lastError = error.message
          void client.close()
        },
      ),
    )
    if (settings.connectInterval > 0) await sleep(settings.connectInterval)
  }
  await Promise.all(attempts)
  return clients.filter((client) => client !== undefined)
}

const topicFor = (pattern: string, index: number) => pattern.replaceAll('%i', String(index))

async function runPub(
  clients: Client[],
  settings: Settings,
  result: BenchResult,
  stopped: () => boolean,
): Promise<void> {
  const total = settings.messages * clients.length
  const started = now()
  const pending = new Set<Promise<void>>()
  let next = 0
  while (!stopped() && clients.length > 0) {
    const elapsed = now() - started
    if (settings.durationMs > 0 && elapsed >= settings.durationMs) break
    if (total > 0 && result.sent >= total) break
    let due = Math.floor((elapsed * settings.rate) / 1000) + 1 - result.sent
    if (total > 0) due = Math.min(due, total - result.sent)
    for (; due > 0; due--) {
      const index = next++ % clients.length
      const sent = now()
      const done = clients[index]!.publish(topicFor(settings.topic, index), payload(settings.size), {
        qos: settings.qos,
      })
        .promise.then(
          () => {
            result.acked++
            result.latency.record(now() - sent)
          },
          (error: Error) => {
            result.publishFailed++
            result.lastError = error.message
          },
        )
        .finally(() => pending.delete(done))
      pending.add(done)
      result.sent++
    }
    await sleep(TICK_MS)
  }
  await Promise.race([Promise.all(pending), sleep(10_000)])
}

async function runSub(
  clients: Client[],
  settings: Settings,
  result: BenchResult,
  stopped: () => boolean,
): Promise<void> {
  await Promise.all(
    clients.map((client, index) => {
      client.on('message', (message) => {
        result.received++
        const at = sentAt(message.payload)
        if (at !== undefined) result.latency.record(now() - at)
      })
      return client.subscribe(topicFor(settings.topic, index), { qos: settings.qos })
    }),
  )
  const started = now()
  const expected = settings.messages * clients.length
  while (!stopped()) {
    if (settings.durationMs > 0 && now() - started >= settings.durationMs) break
    if (expected > 0 && result.received >= expected) break
    await sleep(TICK_MS)
  }
}

export async function bench(argv: readonly string[], signal?: AbortSignal): Promise<number> {
  let clients: Client[] = []
  try {
    const args = parseArgs(argv, FLAGS)
    if (args.flags.has('help')) {
      console.log(BENCH_USAGE)
      return EXIT.OK
    }
    const settings = settingsFrom(args)
    const result: BenchResult = {
      scenario: settings.scenario,
      clients: settings.clients,
      qos: settings.qos,
      size: settings.size,
      connected: 0,
      failed: 0,
      sent: 0,
      acked: 0,
      publishFailed: 0,
      received: 0,
      latency: new Histogram(),
      connectLatency: new Histogram(),
      startedAt: now(),
    }
    const progress = new Progress(result, process.stderr.isTTY === true && !settings.json)
    const stopped = () => signal?.aborted === true
    try {
      clients = await connectAll(settings.clients, settings, args, result)
      result.startedAt = now()
      if (settings.scenario === 'pub') await runPub(clients, settings, result, stopped)
      else if (settings.scenario === 'sub') await runSub(clients, settings, result, stopped)
      else if (settings.durationMs > 0)
        await Promise.race([sleep(settings.durationMs), new Promise((r) => signal?.addEventListener('abort', r))])
      result.endedAt = now()
    } finally {
      progress.stop()
    }
    printSummary(result, settings.json)
    return result.connected === 0 ? EXIT.ERROR : EXIT.OK
  } catch (error) {
    return reportError(error, BENCH_USAGE)
  } finally {
    await Promise.all(clients.map((client) => client.disconnect().catch(() => client.close())))
  }
}
