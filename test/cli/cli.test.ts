import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from '../support/mosquitto.js'
import { runCli } from './run-cli.js'

/** Resolves when a client of `broker` subscribes to `filter`; rejects after 10 s (a sub that died early). */
function subscribed(broker: EmbeddedBroker, filter: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nobody subscribed to ${filter}`)), 10_000)
    broker.aedes.on('subscribe', ((subscriptions: Array<{ topic: string }>) => {
      if (subscriptions.some((s) => s.topic === filter)) {
        clearTimeout(timer)
        resolve()
      }
    }) as never)
  })
}

describe('petrel pub / sub / bench against the embedded broker', () => {
  let broker: EmbeddedBroker
  let where: string[]
  before(async () => {
    broker = await startBroker({ port: 0 })
    where = ['-h', '127.0.0.1', '-p', String(broker.port)]
  })
  after(() => broker.close())

  test('pub -r, then sub -C 1 -v prints "topic payload"; --remove-retained clears it; -W then times out (27)', async () => {
    const published = await runCli(['pub', ...where, '-t', 'cli/retained', '-m', 'kept', '-r', '-q', '1'])
    assert.equal(published.code, 0, published.stderr)
    const verbose = await runCli(['sub', ...where, '-t', 'cli/retained', '-C', '1', '-v'])
    assert.equal(verbose.code, 0, verbose.stderr)
    assert.equal(verbose.stdout, 'cli/retained kept\n')
    const formatted = await runCli([
      'sub',
      ...where,
      '-L',
      `mqtt://127.0.0.1:${broker.port}/cli/retained`,
      '-C',
      '1',
      '-F',
      '%t|%p|%r|%l',
      '--remove-retained',
    ])
    assert.equal(formatted.code, 0, formatted.stderr)
    assert.equal(formatted.stdout, 'cli/retained|kept|1|4\n')
    const empty = await runCli(['sub', ...where, '-t', 'cli/retained', '-W', '1'])
    assert.equal(empty.code, 27)
    assert.equal(empty.stdout, '')
    assert.match(empty.stderr, /Timed out/)
  })

  test('pub -l sends one message per line of stdin (blank lines skipped), in order', async () => {
    const ready = subscribed(broker, 'cli/lines')
    const receiving = runCli(['sub', ...where, '-t', 'cli/lines', '-C', '3', '-q', '1'])
    await ready
    const published = await runCli(['pub', ...where, '-t', 'cli/lines', '-l', '-q', '1'], {
      stdin: 'one\n\ntwo\nthree\n',
    })
    assert.equal(published.code, 0, published.stderr)
    const received = await receiving
    assert.equal(received.code, 0, received.stderr)
    assert.equal(received.stdout, 'one\ntwo\nthree\n')
  })

  test('pub -s publishes the whole of stdin; -n a null message', async () => {
    const ready = subscribed(broker, 'cli/stdin/#')
    const receiving = runCli(['sub', ...where, '-t', 'cli/stdin/#', '-C', '2', '-F', '%t=%x'])
    await ready
    assert.equal((await runCli(['pub', ...where, '-t', 'cli/stdin/s', '-s'], { stdin: 'a\nb' })).code, 0)
    assert.equal((await runCli(['pub', ...where, '-t', 'cli/stdin/n', '-n'])).code, 0)
    const received = await receiving
    assert.equal(received.stdout, 'cli/stdin/s=610a62\ncli/stdin/n=\n')
  })

  test('usage errors exit 1 with a message; an unreachable broker exits 1', async () => {
    const noTopic = await runCli(['pub', ...where, '-m', 'x'])
    assert.equal(noTopic.code, 1)
    assert.match(noTopic.stderr, /-t topic/)
    const badQos = await runCli(['sub', ...where, '-t', 'x', '-q', '3'])
    assert.equal(badQos.code, 1)
    const unknown = await runCli(['frobnicate'])
    assert.equal(unknown.code, 1)
    const refused = await runCli(['pub', '-h', '127.0.0.1', '-p', '1', '-t', 'x', '-m', 'y'])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /^Error: /)
  })

  test('as mosquitto_sub: -N applies to -F, an empty payload prints nothing or "topic (null)" with -v', async () => {
    const ready = subscribed(broker, 'cli/empty/#')
    const verbose = runCli(['sub', ...where, '-t', 'cli/empty/#', '-C', '2', '-v'])
    await ready
    const readyToo = subscribed(broker, 'cli/empty/+')
    const plain = runCli(['sub', ...where, '-t', 'cli/empty/+', '-C', '2', '-F', '%t;', '-N'])
    await readyToo
    assert.equal((await runCli(['pub', ...where, '-t', 'cli/empty/a', '-n'])).code, 0)
    assert.equal((await runCli(['pub', ...where, '-t', 'cli/empty/b', '-m', 'x'])).code, 0)
    assert.equal((await verbose).stdout, 'cli/empty/a (null)\ncli/empty/b x\n')
    assert.equal((await plain).stdout, 'cli/empty/a;cli/empty/b;')
  })

  test('as mosquitto_pub / mosquitto_sub: a bad -F sequence and an empty -s input exit 1 before connecting', async () => {
    for (const format of ['%i', '%t%', '\\q']) {
      const bad = await runCli(['sub', '-h', '127.0.0.1', '-p', '1', '-t', 'x', '-F', format])
      assert.equal(bad.code, 1)
      assert.match(bad.stderr, /^Error: (Invalid|Incomplete) (format|escape) specifier/)
    }
    const empty = await runCli(['pub', ...where, '-t', 'cli/empty/s', '-s'], { stdin: '' })
    assert.equal(empty.code, 1)
    assert.match(empty.stderr, /zero length input/)
  })

  test('bench pub --json and bench conn --json report counts and latency percentiles', async () => {
    const pub = await runCli([
      'bench',
      'pub',
      ...where,
      '-c',
      '2',
      '-n',
      '3',
      '-q',
      '1',
      '--rate',
      '200',
      '-s',
      '32',
      '--json',
    ])
    assert.equal(pub.code, 0, pub.stderr)
    const report = JSON.parse(pub.stdout)
    assert.equal(report.scenario, 'pub')
    assert.equal(report.clients, 2)
    assert.equal(report.connected, 2)
    assert.deepEqual(Object.keys(report.messages), ['sent', 'acked', 'failed', 'received', 'perSecond'])
    assert.equal(report.messages.sent, 6)
    assert.equal(report.messages.acked, 6)
    assert.equal(report.latencyMs.count, 6)
    for (const key of ['min', 'mean', 'p50', 'p90', 'p99', 'p999', 'max'])
      assert.equal(typeof report.latencyMs[key], 'number')
    assert.ok(report.latencyMs.p50 <= report.latencyMs.p99 && report.latencyMs.p99 <= report.latencyMs.max)

    const conn = await runCli(['bench', 'conn', ...where, '-c', '3', '--json'])
    assert.equal(conn.code, 0, conn.stderr)
    const connReport = JSON.parse(conn.stdout)
    assert.equal(connReport.connected, 3)
    assert.equal(connReport.connectLatencyMs.count, 3)
  })
})

describe('petrel against Mosquitto', () => {
  let mosquitto: RunningMosquitto | undefined
  before(async () => {
    if (mosquittoAvailable() !== undefined) {
      mosquitto = await startMosquitto({ users: { alice: 'secret' }, allowAnonymous: false })
    }
  })
  after(() => mosquitto?.stop())

  test('a bad password exits with the CONNACK code as mosquitto_pub (5, or 135 at MQTT 5); good credentials work', async (t) => {
    if (mosquitto === undefined) {
      console.log('SKIPPED: mosquitto not installed')
      return t.skip()
    }
    const port = String(mosquitto.port)
    for (const [command, version, code] of [
      ['pub', '311', 5],
      ['sub', '31', 5],
      ['pub', '5', 0x87],
      ['sub', '5', 0x87],
    ] as const) {
      const what = command === 'pub' ? ['-m', 'y'] : []
      const refused = await runCli([
        command,
        '-p',
        port,
        '-V',
        version,
        '-u',
        'alice',
        '-P',
        'wrong',
        '-t',
        'x',
        ...what,
      ])
      assert.equal(refused.code, code, `${command} -V ${version}: ${refused.stderr}`)
      assert.match(refused.stderr, /^Connection error: .*Not authorized/i)
    }

    await runCli([
      'pub',
      '-p',
      port,
      '-u',
      'alice',
      '-P',
      'secret',
      '-V',
      '5',
      '-t',
      'm/ret',
      '-m',
      'five',
      '-r',
      '-q',
      '2',
      '-D',
      'publish',
      'user-property',
      'k',
      'v',
      '-D',
      'publish',
      'content-type',
      'text/plain',
    ])
    const received = await runCli([
      'sub',
      '-p',
      port,
      '-u',
      'alice',
      '-P',
      'secret',
      '-V',
      '311',
      '-t',
      'm/ret',
      '-C',
      '1',
      '-v',
      '--remove-retained',
    ])
    assert.equal(received.code, 0, received.stderr)
    assert.equal(received.stdout, 'm/ret five\n')
  })
})
