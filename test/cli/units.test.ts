import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseArgs } from '../../src/cli/args.js'
import { Histogram } from '../../src/cli/histogram.js'
import { propertiesFor } from '../../src/cli/properties.js'

describe('histogram', () => {
  test('exact for small values, within 1% above, percentiles by rank', () => {
    const histogram = new Histogram()
    for (let i = 1; i <= 100; i++) histogram.record(i / 1000) // 1..100 µs: exact
    assert.equal(histogram.percentile(50), 0.05)
    assert.equal(histogram.percentile(99), 0.099)
    assert.equal(histogram.summary().max, 0.1)
    const wide = new Histogram()
    for (const ms of [1, 10, 100, 1000, 10_000]) wide.record(ms)
    for (const [p, expected] of [
      [20, 1],
      [40, 10],
      [60, 100],
      [80, 1000],
      [100, 10_000],
    ] as const) {
      const value = wide.percentile(p)
      assert.ok(Math.abs(value - expected) / expected < 0.01, `p${p} = ${value}`)
    }
    const summary = wide.summary()
    assert.equal(summary.count, 5)
    assert.equal(summary.min, 1)
    assert.equal(summary.mean, 2222.2)
  })

  test('merge adds counts; an empty histogram summarises to zeros', () => {
    const a = new Histogram()
    const b = new Histogram()
    a.record(1)
    b.record(3)
    a.merge(b)
    assert.equal(a.count, 2)
    assert.equal(a.summary().max, 3)
    assert.deepEqual(new Histogram().summary(), { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 })
  })
})

describe('arguments and -D properties', () => {
  const specs = {
    '-t': { name: 'topic', kind: 'list' },
    '-m': { name: 'message', kind: 'value' },
    '-r': { name: 'retain', kind: 'flag' },
    '-D': { name: 'property', kind: 'property' },
  } as const

  test('flags, repeated values, -D with two or three values, --x=y', () => {
    const args = parseArgs(
      [
        '-t',
        'a',
        '-t',
        'b',
        '-r',
        '-D',
        'publish',
        'user-property',
        'k',
        'v',
        '-D',
        'connect',
        'session-expiry-interval',
        '60',
        'pos',
      ],
      specs,
    )
    assert.deepEqual(args.lists.get('topic'), ['a', 'b'])
    assert.ok(args.flags.has('retain'))
    assert.deepEqual(args.positionals, ['pos'])
    assert.deepEqual(propertiesFor(args.properties, 'publish'), { userProperties: [['k', 'v']] })
    assert.deepEqual(propertiesFor(args.properties, 'connect'), { sessionExpiryInterval: 60 })
    assert.equal(propertiesFor(args.properties, 'subscribe'), undefined)
  })

  test('usage errors have code ERR_USAGE', () => {
    assert.throws(() => parseArgs(['-x'], specs), { code: 'ERR_USAGE' })
    assert.throws(() => parseArgs(['-m'], specs), { code: 'ERR_USAGE' })
    assert.throws(() => propertiesFor([['publish', 'nonsense', '1']], 'publish'), { code: 'ERR_USAGE' })
    assert.throws(() => propertiesFor([['connect', 'content-type', 'x']], 'connect'), { code: 'ERR_USAGE' })
    assert.throws(() => propertiesFor([['bogus', 'content-type', 'x']], 'publish'), { code: 'ERR_USAGE' })
  })
})
