// The file store's state survives close and reopen, record type by record type; compaction keeps the state
// and shrinks the file; maxBytes bounds the live state; closed stores refuse calls.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { describe, test } from 'node:test'
import { createFileStore } from '../../src/store/index.js'
import { logPath, message, reload, storeDir, subscription, withStore } from './helpers.js'

describe('file store: round trips', () => {
  test('a new directory loads nothing and is created', () => {
    const dir = storeDir()
    assert.equal(reload(dir), undefined)
    assert.ok(existsSync(logPath(dir)))
  })

  test('every record type survives close and reopen', () => {
    const dir = storeDir()
    const withProperties = message(2, {
      qos: 2,
      retain: true,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 3600,
        contentType: 'text/plain',
        responseTopic: 'r/t',
        correlationData: new Uint8Array([0, 1, 255]),
        topicAlias: 3,
        userProperties: [
          ['a', '1'],
          ['a', '2'],
        ],
      },
    })
    const qos0 = message(3, { qos: 0, payload: new Uint8Array(0), topic: '' })
    delete qos0.packetId
    const hugeCounters = message(4, { seq: 2 ** 40, token: 2 ** 53 - 1 })
    withStore(dir, (store) => {
      store.setClientId('client-ü')
      store.putOutgoing(message(1))
      store.putOutgoing(withProperties)
      store.putOutgoing(qos0)
      store.putOutgoing(hugeCounters)
      store.updateOutgoing({ ...message(1), state: 'sent', dup: true })
      store.updateOutgoing({ ...withProperties, state: 'released', releaseOrder: 2 ** 35 })
      store.putOutgoing(message(5))
      store.removeOutgoing(5)
      store.addIncomingQos2(1)
      store.addIncomingQos2(65_535)
      store.addIncomingQos2(7)
      store.removeIncomingQos2(7)
      store.putSubscription(subscription)
      store.putSubscription({ topic: 'plain', qos: 0 })
      store.putSubscription({ topic: 'gone', qos: 1 })
      store.removeSubscription('gone')
    })
    assert.deepEqual(reload(dir), {
      clientId: 'client-ü',
      outgoing: [
        { ...message(1), state: 'sent', dup: true },
        { ...withProperties, state: 'released', releaseOrder: 2 ** 35 },
        qos0,
        hugeCounters,
      ],
      incomingQos2: [1, 65_535],
      subscriptions: [subscription, { topic: 'plain', qos: 0 }],
    })
  })

  test('an update back to queued drops the release order; clearIncoming forgets every incoming id', () => {
    const dir = storeDir()
    withStore(dir, (store) => {
      store.setClientId('c')
      store.putOutgoing(message(1, { qos: 2 }))
      store.updateOutgoing(message(1, { qos: 2, state: 'released', releaseOrder: 1 }))
      store.updateOutgoing(message(1, { qos: 2, state: 'queued', dup: true }))
      store.addIncomingQos2(9)
      store.clearIncoming()
    })
    assert.deepEqual(reload(dir), {
      clientId: 'c',
      outgoing: [message(1, { qos: 2, state: 'queued', dup: true })],
      incomingQos2: [],
      subscriptions: [],
    })
  })

  test('the stored message is a copy: changing the caller’s payload afterwards changes nothing', () => {
    const dir = storeDir()
    const original = message(1)
    withStore(dir, (store) => {
      store.putOutgoing(original)
      original.payload.fill(0)
      assert.notDeepEqual(store.load()?.outgoing[0]?.payload, original.payload)
    })
    assert.deepEqual(reload(dir)?.outgoing[0]?.payload, message(1).payload)
  })

  test('calls that change nothing append nothing', () => {
    const dir = storeDir()
    withStore(dir, (store) => {
      store.setClientId('c')
      const before = store.stats().logBytes
      store.setClientId('c')
      store.updateOutgoing(message(1))
      store.removeOutgoing(1)
      store.removeIncomingQos2(1)
      store.clearIncoming()
      store.removeSubscription('x')
      assert.equal(store.stats().logBytes, before)
    })
  })

  test("fsync 'always' and 'never' keep the same state", () => {
    for (const fsync of ['always', 'never'] as const) {
      const dir = storeDir()
      withStore(dir, (store) => store.putOutgoing(message(1)), { fsync })
      assert.deepEqual(reload(dir)?.outgoing, [message(1)])
    }
  })

  test('bad options are refused', () => {
    const dir = storeDir()
    assert.throws(() => createFileStore(dir, { fsync: 'sometimes' as 'always' }), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => createFileStore(dir, { maxBytes: 0 }), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => createFileStore(dir, { compactAfter: -1 }), { code: 'ERR_INVALID_ARGUMENT' })
  })
})

describe('file store: compaction', () => {
  test('a log that outgrows its live state is rewritten: same state, smaller file, no temporary left', () => {
    const dir = storeDir()
    let sizeBefore = 0
    withStore(
      dir,
      (store) => {
        store.setClientId('c')
        store.putSubscription(subscription)
        for (let seq = 1; seq <= 2000; seq++) {
          store.putOutgoing(message(seq, { qos: 2 }))
          store.updateOutgoing(message(seq, { qos: 2, state: 'sent' }))
          if (seq % 100 !== 0) store.removeOutgoing(seq)
          if (seq % 10 === 0) store.addIncomingQos2(seq)
          if (seq % 20 === 0) store.removeIncomingQos2(seq)
        }
        const stats = store.stats()
        assert.ok(stats.compactions > 0, 'compacted')
        assert.ok(stats.logBytes < 4 * stats.liveBytes + 4096, `log ${stats.logBytes} vs live ${stats.liveBytes}`)
        assert.equal(stats.compactionError, undefined)
        sizeBefore = statSync(logPath(dir)).size
        assert.equal(sizeBefore, stats.logBytes)
      },
      { compactAfter: 4096 },
    )
    const loaded = reload(dir)
    assert.deepEqual(
      loaded?.outgoing.map((m) => m.seq),
      Array.from({ length: 20 }, (_, i) => (i + 1) * 100),
    )
    assert.ok(loaded?.outgoing.every((m) => m.state === 'sent'))
    assert.deepEqual(
      loaded?.incomingQos2,
      Array.from({ length: 100 }, (_, i) => i * 20 + 10),
    )
    assert.deepEqual(loaded?.subscriptions, [subscription])
    assert.deepEqual(readdirSync(dir).sort(), ['session.log'])
  })

  test('the live size counts what a compacted log holds; clear() empties the log', () => {
    const dir = storeDir()
    withStore(dir, (store) => {
      store.putOutgoing(message(1))
      store.putOutgoing(message(2))
      store.removeOutgoing(1)
      store.updateOutgoing(message(2, { state: 'sent' }))
      const { liveBytes } = store.stats()
      store.clear()
      assert.equal(store.load(), undefined)
      store.putOutgoing(message(2, { state: 'sent' }))
      assert.equal(store.stats().liveBytes, liveBytes)
      assert.equal(store.stats().logBytes, liveBytes)
    })
  })
})

describe('file store: limits and lifecycle', () => {
  test('maxBytes: a putOutgoing past it throws ERR_STORE_FULL and stores nothing', () => {
    const dir = storeDir()
    withStore(
      dir,
      (store) => {
        const big = (seq: number) => message(seq, { payload: new Uint8Array(400) })
        store.putOutgoing(big(1))
        store.putOutgoing(big(2))
        assert.throws(() => store.putOutgoing(big(3)), { name: 'StoreError', code: 'ERR_STORE_FULL' })
        assert.deepEqual(
          store.load()?.outgoing.map((m) => m.seq),
          [1, 2],
        )
        store.removeOutgoing(1)
        store.putOutgoing(big(3))
        assert.ok(store.stats().liveBytes <= 1000)
      },
      { maxBytes: 1000 },
    )
    assert.deepEqual(
      reload(dir)?.outgoing.map((m) => m.seq),
      [2, 3],
    )
  })

  test('a closed store refuses calls; close is idempotent; destroy deletes the session', () => {
    const dir = storeDir()
    const store = createFileStore(dir)
    store.putOutgoing(message(1))
    store.close()
    store.close()
    assert.throws(() => store.putOutgoing(message(2)), { code: 'ERR_STORE_CLOSED' })
    assert.throws(() => store.load(), { code: 'ERR_STORE_CLOSED' })
    const again = createFileStore(dir)
    assert.equal(again.load()?.outgoing.length, 1)
    again.destroy()
    assert.deepEqual(readdirSync(dir), [])
    assert.equal(reload(dir), undefined)
  })
})
