// Crash test with real processes: a publisher over a file store is killed with SIGKILL in the middle of a
// stream of QoS 1 and QoS 2 messages, then restarted on the same store and client id; it publishes nothing
// new but finishes every flow. A subscriber (persistent session) sees every QoS 1 message at least once and
// every QoS 2 message exactly once. The broker (Aedes keeps its sessions in memory) lives in this process,
// across the publisher's crash. The subscriber is a Petrel client: Aedes 1.x sometimes sends the PUBREL of
// one outgoing QoS 2 flow twice and of another never, to a clean: false subscriber, and MQTT.js (which
// delivers at PUBREL) then never delivers that message; Petrel delivers at PUBLISH.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import { connect } from '../../src/index.js'
import { storeDir } from './helpers.js'

const FIXTURE = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'publisher.ts')
const COUNT = 400

interface Child {
  process: ChildProcess
  lines: string[]
  /** Resolves with the first line `match` accepts. */
  waitFor(match: (line: string) => boolean): Promise<string>
  exited: Promise<number | null>
}

function startPublisher(url: string, dir: string, ...args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, url, dir, 'crash-publisher', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line)
    for (const waiter of waiters.filter((w) => w.match(line))) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(line)
    }
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    process: child,
    lines,
    exited,
    waitFor: (match) =>
      new Promise((resolve, reject) => {
        waiters.push({ match, resolve })
        exited.then((code) =>
          reject(new Error(`publisher exited (${code}) before the line; output: ${lines.join(' | ')}`)),
        )
      }),
  }
}

describe('file store: crash with real processes', () => {
  let broker: EmbeddedBroker
  before(async () => {
    broker = await startBroker({ port: 0 })
  })
  after(() => broker.close())

  test('a publisher killed with SIGKILL mid-stream and restarted finishes every flow, exactly once for QoS 2', async () => {
    const received = new Map<number, number>()
    const subscriber = await connect(broker.url, { clientId: 'crash-subscriber', clean: false, protocolVersion: 4 })
    try {
      subscriber.on('message', ({ payload }) => {
        const n = Number(new TextDecoder().decode(payload))
        received.set(n, (received.get(n) ?? 0) + 1)
      })
      await subscriber.subscribe('crash/stream', { qos: 2 })
      const dir = storeDir()

      const first = startPublisher(broker.url, dir, 'publish', String(COUNT))
      let completed = 0
      await first.waitFor((line) => line.startsWith('done') && ++completed >= COUNT / 3)
      first.process.kill('SIGKILL')
      await first.exited
      const completedBeforeCrash = first.lines.filter((line) => line.startsWith('done')).length
      assert.ok(completedBeforeCrash < COUNT, 'killed before the stream ended')
      assert.deepEqual(
        first.lines.filter((line) => !line.startsWith('done')),
        [],
      )

      const second = startPublisher(broker.url, dir, 'finish')
      const restored = Number((await second.waitFor((line) => line.startsWith('restored'))).split(' ')[1])
      // Whatever had not completed was in the store (a flow may complete at the broker just as the kill lands).
      assert.ok(restored >= COUNT - completedBeforeCrash - 8 && restored <= COUNT - completedBeforeCrash + 1)
      await second.waitFor((line) => line === 'empty')
      assert.equal(await second.exited, 0)

      // Everything has reached the broker; wait for the subscriber to have it all, then for stray duplicates.
      const deadline = Date.now() + 10_000
      while (received.size < COUNT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      await new Promise((r) => setTimeout(r, 300))
      const missing = Array.from({ length: COUNT }, (_, n) => n).filter((n) => !received.has(n))
      assert.deepEqual(missing, [], 'every message arrives')
      const qos2Duplicates = [...received].filter(([n, times]) => n % 2 === 1 && times !== 1)
      assert.deepEqual(qos2Duplicates, [], 'every QoS 2 message exactly once')
    } finally {
      await subscriber.close()
    }
  })
})
