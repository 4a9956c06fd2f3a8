// Every file in examples/ runs here, as a user would run it, against the embedded broker (the $SYS one
// against Mosquitto, which publishes $SYS topics).
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import * as publish from '../../src/helpers/publish.js'
import * as subscribe from '../../src/helpers/subscribe.js'
import { useEmbeddedBroker } from '../support/embedded-broker.js'
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from '../support/mosquitto.js'
import { type RunResult, runTsx } from '../support/run-tsx.js'

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url))
const exercised = new Set<string>()

function runExample(name: string, url: string, env: Record<string, string> = {}): Promise<RunResult> {
  exercised.add(name)
  return runTsx(`${EXAMPLES}${name}`, [url], { env })
}

describe('examples against the embedded broker', () => {
  const embedded = useEmbeddedBroker()

  test('one-shot-publish.ts: single and multiple arrive', async () => {
    const ready = embedded.subscribed('paho/test/multiple')
    const waiting = subscribe.simple(['paho/test/single', 'paho/test/multiple'], { ...embedded.where, msgCount: 3 })
    await ready
    const run = await runExample('one-shot-publish.ts', embedded.broker.url)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /single: published\nmultiple: published 2 messages/)
    const messages = await waiting
    assert.deepEqual(
      (messages as Array<{ payload: Uint8Array }>).map((m) => new TextDecoder().decode(m.payload)).sort(),
      ['multiple 1', 'multiple 2', 'payload'],
    )
  })

  test('one-shot-subscribe.ts: simple and callback each print a message', async () => {
    await publish.multiple(
      [
        ['paho/test/simple', 'hello simple', 1, true],
        ['paho/test/callback', 'hello callback', 1, true],
      ],
      embedded.where,
    )
    const run = await runExample('one-shot-subscribe.ts', embedded.broker.url)
    assert.equal(run.code, 0, run.stderr)
    assert.equal(
      run.stdout,
      'simple: paho/test/simple hello simple\ncallback (my data): paho/test/callback hello callback\ncallback: stopped\n',
    )
  })

  test('sensor-publisher.ts: readings published with loopStart, will and status retained', async () => {
    const ready = embedded.subscribed('sensors/kitchen/temperature')
    const waiting = subscribe.simple('sensors/kitchen/temperature', { ...embedded.where, msgCount: 3, qos: 1 })
    await ready
    const run = await runExample('sensor-publisher.ts', embedded.broker.url, {
      EXAMPLE_READINGS: '3',
      EXAMPLE_INTERVAL_MS: '20',
    })
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /reading 3: [\d.]+ \(mid \d+, published: true\)\nsensor stopped/)
    assert.equal(((await waiting) as unknown[]).length, 3)
    const status = await subscribe.simple('sensors/kitchen/status', embedded.where)
    assert.equal(new TextDecoder().decode(status.payload), 'offline')
  })

  test('tutorial-connected-flag.ts: waits for the flag, then round-trips a message', async () => {
    const run = await runExample('tutorial-connected-flag.ts', embedded.broker.url)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /in wait loop\n(in wait loop\n)*connected OK\n/)
    assert.match(run.stdout, /message received: house\/bulbs\/bulb1 OFF\ndisconnected\n$/)
  })
})

describe('examples against Mosquitto', () => {
  let mosquitto: RunningMosquitto | undefined
  before(async () => {
    if (mosquittoAvailable() !== undefined) mosquitto = await startMosquitto({ config: ['sys_interval 1'] })
  })
  after(() => mosquitto?.stop())

  test('sys-subscriber.ts: loopForever prints $SYS messages until disconnect()', async (t) => {
    exercised.add('sys-subscriber.ts')
    if (mosquitto === undefined) {
      console.log('SKIPPED: mosquitto not installed')
      return t.skip()
    }
    const run = await runExample('sys-subscriber.ts', mosquitto.url, { EXAMPLE_MAX_MESSAGES: '3' })
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^Connected with result code Success\n/)
    // Mosquitto sends its retained $SYS messages in a burst: more may arrive before disconnect() completes.
    const printed = run.stdout.match(/^\$SYS\/broker\/\S+ /gm)?.length ?? 0
    assert.ok(printed >= 3)
    assert.match(run.stdout, new RegExp(`disconnected after ${printed} messages\n$`))
  })
})

test('every example in examples/ is exercised above', () => {
  const files = readdirSync(EXAMPLES).filter((file) => file.endsWith('.ts') && file !== 'broker-address.ts')
  assert.deepEqual(files.sort(), [...exercised].sort())
})
