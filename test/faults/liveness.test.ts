// Liveness through the fault proxy: a half-open link (black hole) is noticed within 1.5x the keepalive
// (or pingInterval + responseTimeout), and event-loop stalls of half the keepalive cause no false
// disconnect. The broker runs in a child process so that it keeps answering while this one is stalled.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Client, type ClientOptions, connect } from '../../src/index.js'
import { nextEvent } from '../live/harness.js'
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js'

let broker: ChildProcess
let brokerPort = 0
let delayedPort = 0

before(async () => {
  broker = spawn(process.execPath, ['--import', 'tsx', 'test/faults/broker-process.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const [chunk] = (await once(broker.stdout!, 'data')) as [Buffer]
  ;({ port: brokerPort, delayedPort } = JSON.parse(chunk.toString()) as { port: number; delayedPort: number })
})

after(async () => {
  broker.stdin!.end()
  if (broker.exitCode === null) await once(broker, 'exit')
})

async function through(options: ClientOptions): Promise<{ proxy: FaultProxy; client: Client }> {
  const proxy = await startFaultProxy({ targetPort: brokerPort })
  const client = await connect(proxy.url, {
    protocolVersion: 4,
    reconnect: { minDelay: 50, maxDelay: 100 },
    ...options,
  })
  return { proxy, client }
}

function busyWait(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) {}
}

describe('half-open links', () => {
  for (const [name, options, limitMs] of [
    ['keepalive 2 s: within 1.5x the keepalive', { keepalive: 2 }, 3000],
    [
      'pingInterval 400 + responseTimeout 300: within 700 ms',
      { keepalive: 60, pingInterval: 400, responseTimeout: 300 },
      700,
    ],
  ] as const) {
    test(`black hole detected, ${name}`, async () => {
      const { proxy, client } = await through(options)
      try {
        await sleep(100)
        const down = nextEvent(client, 'down', 30_000)
        const started = performance.now()
        proxy.blackhole(true)
        await down
        const took = performance.now() - started
        assert.ok(took <= limitMs + 100, `detected after ${Math.round(took)} ms (limit ${limitMs})`)
        assert.equal(client.isUp, false)
        proxy.blackhole(false)
        proxy.reset()
        await nextEvent(client, 'up', 30_000)
        assert.equal(client.isUp, true)
        assert.equal(client.stats.reconnects, 1)
      } finally {
        await client.close()
        await proxy.close()
      }
    })
  }

  test('a black hole in the middle of a QoS 1 stream: detected, then every publish completes', async () => {
    const { proxy, client } = await through({ keepalive: 60, responseTimeout: 300 })
    try {
      const handles = []
      for (let i = 0; i < 200; i++) {
        handles.push(client.publish('liveness/stream', String(i), { qos: 1 }))
        if (i === 50) proxy.blackhole(true)
        await sleep(1)
      }
      await nextEvent(client, 'down', 30_000)
      proxy.blackhole(false)
      proxy.reset()
      await Promise.all(handles)
      assert.equal(client.stats.acked, 200)
    } finally {
      await client.close()
      await proxy.close()
    }
  })
})

describe('event-loop stalls', () => {
  test('stalls of half the keepalive, while a PINGRESP is on its way, cause no disconnect', async () => {
    // Through the broker process's proxy, 200 ms each way: a PINGRESP arrives 400 ms after its PINGREQ,
    // in the middle of the stall (the delaying proxy is in the other process, so it is not stalled).
    const client = await connect(`mqtt://127.0.0.1:${delayedPort}`, { protocolVersion: 4, keepalive: 2 })
    let downs = 0
    client.on('down', () => downs++)
    try {
      for (let i = 0; i < 3; i++) {
        // The next PINGREQ leaves 2 s after the last one (1.6 s after its PINGRESP arrived); stall 50 ms after
        // it for the whole response timeout (half the keepalive). The alarm then fires before the socket is
        // read: the PINGRESP waiting in the buffer must count.
        await nextEvent(client, 'pong', 30_000)
        await sleep(1650)
        busyWait(1000)
      }
      await sleep(300)
      assert.equal(downs, 0)
      assert.equal(client.isUp, true)
    } finally {
      await client.close()
    }
  })
})
