import assert from 'node:assert/strict'
import { test } from 'node:test'
import { backoffDelay } from '../../src/client/backoff.js'

test('backoff - doubles from minDelay up to maxDelay without jitter', () => {
  const options = { minDelay: 100, maxDelay: 1000, jitter: 0 }
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, options)),
    [100, 200, 400, 800, 1000, 1000],
  )
})

test('backoff - proportional jitter draws from [base × (1 − jitter), base]', () => {
  const options = { minDelay: 1000, maxDelay: 30_000, jitter: 0.5 }
  assert.equal(
    backoffDelay(1, options, () => 0),
    1000,
  )
  assert.equal(
    backoffDelay(1, options, () => 0.999999),
    500,
  )
  assert.equal(
    backoffDelay(3, { ...options, jitter: 1 }, () => 0.5),
    2000,
  )
})

test('backoff - defaults are 1000 ms doubling to 30000 ms, and huge attempt numbers stay finite', () => {
  assert.equal(
    backoffDelay(1, {}, () => 0),
    1000,
  )
  assert.equal(
    backoffDelay(10_000, {}, () => 0),
    30_000,
  )
})
