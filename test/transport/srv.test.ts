import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { describe, test } from 'node:test'
import { startBroker } from '../../src/broker/index.js'
import { TransportError } from '../../src/transport/errors.js'
import { resolveSrv, type SrvRecord, srvConnector } from '../../src/transport/srv-node.js'
import { tcpConnector } from '../../src/transport/tcp-node.js'
import { TestServer } from './harness.js'
import { roundTrip } from './live-roundtrip.js'

const record = (name: string, port: number, priority: number, weight: number): SrvRecord => ({
  name,
  port,
  priority,
  weight,
})

/** A resolver that answers one name and records what it was asked. */
function fakeResolver(answers: Record<string, SrvRecord[]>) {
  const asked: string[] = []
  const resolver = async (name: string) => {
    asked.push(name)
    const found = answers[name]
    if (found === undefined) throw Object.assign(new Error(`queryNotFound ${name}`), { code: 'ENOTFOUND' })
    return found
  }
  return { asked, resolver }
}

/** A deterministic sequence of "random" numbers. */
const sequence =
  (...values: number[]) =>
  () =>
    values.shift() ?? 0

describe('resolveSrv', () => {
  test('asks _mqtt._tcp or _secure-mqtt._tcp; orders by priority; strips the trailing dot', async () => {
    const { asked, resolver } = fakeResolver({
      '_mqtt._tcp.example.com': [record('b.example.com.', 2, 20, 0), record('a.example.com.', 1, 10, 0)],
      '_secure-mqtt._tcp.example.com': [record('s.example.com', 8883, 0, 0)],
    })
    assert.deepEqual(await resolveSrv('example.com', { resolver }), [
      { host: 'a.example.com', port: 1 },
      { host: 'b.example.com', port: 2 },
    ])
    assert.deepEqual(await resolveSrv('example.com', { resolver, secure: true }), [
      { host: 's.example.com', port: 8883 },
    ])
    assert.deepEqual(asked, ['_mqtt._tcp.example.com', '_secure-mqtt._tcp.example.com'])
  })

  test('RFC 2782 weighted choice within a priority', async () => {
    const records = [record('zero', 1, 0, 0), record('light', 2, 0, 10), record('heavy', 3, 0, 90)]
    const { resolver } = fakeResolver({ '_mqtt._tcp.d': records })
    const order = async (...draws: number[]) =>
      (await resolveSrv('d', { resolver, random: sequence(...draws) })).map((t) => t.host)
    // Running sums zero:0 light:10 heavy:100; a draw of 0 picks the weight-0 record first.
    assert.deepEqual(await order(0, 0, 0), ['zero', 'light', 'heavy'])
    // 0.5 of 101 → 50 → heavy; then sums zero:0 light:10, 0.99 of 11 → 10 → light.
    assert.deepEqual(await order(0.5, 0.99, 0), ['heavy', 'light', 'zero'])
    // Over many draws, heavy comes first about nine times as often as light.
    const first = { zero: 0, light: 0, heavy: 0 }
    let seed = 1
    const random = () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    for (let i = 0; i < 2000; i++) {
      const [top] = await resolveSrv('d', { resolver, random })
      first[top?.host as keyof typeof first]++
    }
    assert.ok(first.heavy > 1600 && first.light > 120 && first.zero < 60, JSON.stringify(first))
  })

  test('no records, or the "." target, is ERR_DNS', async () => {
    const { resolver } = fakeResolver({ '_mqtt._tcp.none': [record('.', 0, 0, 0)] })
    for (const domain of ['none', 'missing']) {
      await assert.rejects(resolveSrv(domain, { resolver }), (error) => {
        assert.ok(error instanceof TransportError)
        assert.equal(error.code, 'ERR_DNS')
        return true
      })
    }
  })
})

describe('srvConnector (live)', () => {
  test('skips a dead target and connects to the live broker', async () => {
    const broker = await startBroker({ port: 0 })
    const dead = await new TestServer(createServer(), { echo: false }).listen(0, '127.0.0.1')
    const deadPort = dead.port
    await dead.close()
    const { asked, resolver } = fakeResolver({
      '_mqtt._tcp.brokers.test': [record('127.0.0.1', broker.port, 20, 0), record('127.0.0.1', deadPort, 10, 0)],
    })
    const tried: number[] = []
    const transport = srvConnector({
      domain: 'brokers.test',
      resolver,
      connectorFor: (target) => {
        tried.push(target.port)
        return tcpConnector(target)
      },
    })
    await roundTrip(undefined, { protocolVersion: 4, transport })
    assert.deepEqual(tried, [deadPort, broker.port])
    assert.deepEqual(asked, ['_mqtt._tcp.brokers.test'])
    await broker.close()
  })

  test('every target dead: ERR_CONNECT with each failure as the cause', async () => {
    const dead = await new TestServer(createServer(), { echo: false }).listen(0, '127.0.0.1')
    const deadPort = dead.port
    await dead.close()
    const { resolver } = fakeResolver({ '_mqtt._tcp.down.test': [record('127.0.0.1', deadPort, 0, 0)] })
    const transport = srvConnector({ domain: 'down.test', resolver, connectorFor: (target) => tcpConnector(target) })
    await assert.rejects(roundTrip(undefined, { protocolVersion: 4, transport }), (error) => {
      assert.ok(error instanceof TransportError)
      assert.equal(error.code, 'ERR_CONNECT')
      assert.ok(error.cause instanceof AggregateError)
      assert.equal(error.cause.errors.length, 1)
      return true
    })
  })
})
