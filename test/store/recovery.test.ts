// Loading a damaged log: a torn last record (a crash mid-append, cut at any byte) loads the state before it
// and is cut off; damage before the last record is ERR_STORE_CORRUPT; a file that is not a session log is
// ERR_STORE_FOREIGN.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { createFileStore } from '../../src/store/index.js'
import { logPath, message, reload, storeDir, subscription, withStore } from './helpers.js'

/** A log with some state, and the byte offsets where each of its records starts. */
function sampleLog(): { bytes: Uint8Array; starts: number[] } {
  const dir = storeDir()
  const starts: number[] = []
  withStore(dir, (store) => {
    const mark = () => starts.push(store.stats().logBytes)
    mark()
    store.setClientId('c')
    mark()
    store.putSubscription(subscription)
    mark()
    store.putOutgoing(message(1, { qos: 2, properties: { userProperties: [['k', 'v']] } }))
    mark()
    store.addIncomingQos2(5)
    mark()
    store.updateOutgoing(message(1, { qos: 2, state: 'released', releaseOrder: 1 }))
    mark()
    store.putOutgoing(message(2))
  })
  return { bytes: new Uint8Array(readFileSync(logPath(dir))), starts } // a Uint8Array: slice() copies
}

function writeLog(bytes: Uint8Array): string {
  const dir = storeDir()
  mkdirSync(dir, { recursive: true })
  writeFileSync(logPath(dir), bytes)
  return dir
}

describe('file store: recovery', () => {
  const { bytes, starts } = sampleLog()
  const lastStart = starts.at(-1)!
  const stateBeforeLast = reload(writeLog(bytes.subarray(0, lastStart)))

  test('the sample state before its last record is what it should be', () => {
    assert.equal(stateBeforeLast?.outgoing.length, 1)
    assert.equal(stateBeforeLast?.outgoing[0]?.state, 'released')
    assert.deepEqual(stateBeforeLast?.incomingQos2, [5])
  })

  test('a log cut at every byte of its last record loads the state before it, and is cut back', () => {
    for (let end = lastStart; end < bytes.length; end++) {
      const dir = writeLog(bytes.subarray(0, end))
      withStore(dir, (store) => {
        assert.deepEqual(store.load(), stateBeforeLast, `cut at ${end}`)
        assert.equal(store.stats().tornBytes, end - lastStart)
        store.removeOutgoing(1) // appends after the cut work
      })
      assert.equal(statSync(logPath(dir)).size, lastStart + 14) // + the removeOutgoing frame
      assert.deepEqual(reload(dir)?.outgoing, [])
    }
  })

  test('a damaged last record (its bytes never reached the disk) is a torn tail too', () => {
    for (const at of [lastStart + 12, bytes.length - 1]) {
      const damaged = bytes.slice()
      damaged[at]! ^= 0x40
      assert.deepEqual(reload(writeLog(damaged)), stateBeforeLast)
    }
    const zeroed = bytes.slice()
    zeroed.fill(0, starts[3])
    assert.equal(reload(writeLog(zeroed))?.outgoing.length, 1)
    assert.equal(reload(writeLog(zeroed))?.outgoing[0]?.state, 'queued')
  })

  test('a flipped byte in any record before the last is ERR_STORE_CORRUPT', () => {
    for (let at = starts[0]!; at < lastStart; at++) {
      const damaged = bytes.slice()
      damaged[at]! ^= 0x01
      assert.throws(() => createFileStore(writeLog(damaged)), { code: 'ERR_STORE_CORRUPT' }, `byte ${at}`)
    }
  })

  test('a file that is not a session log is ERR_STORE_FOREIGN, and is left as it was', () => {
    const foreign = [
      new TextEncoder().encode('{"clientId":"c","outgoing":[]}\n'),
      bytes.slice(0, 6).fill(0x41),
      (() => {
        const newer = bytes.slice()
        newer[11] = 2 // format version 2
        return newer
      })(),
    ]
    for (const [i, content] of foreign.entries()) {
      const dir = writeLog(content)
      assert.throws(() => createFileStore(dir), { name: 'StoreError', code: 'ERR_STORE_FOREIGN' }, `case ${i}`)
      assert.deepEqual(new Uint8Array(readFileSync(logPath(dir))), content)
    }
    for (let at = 0; at < 8; at++) {
      const damaged = bytes.slice()
      damaged[at]! ^= 0x20
      assert.throws(() => createFileStore(writeLog(damaged)), { code: 'ERR_STORE_FOREIGN' })
    }
  })

  test('a file header cut short (a crash while the log was created) is a new log', () => {
    for (let end = 0; end < starts[0]!; end++) assert.equal(reload(writeLog(bytes.subarray(0, end))), undefined)
  })

  test('a compaction cut short leaves its temporary file, which is removed; the log is intact', () => {
    const dir = writeLog(bytes)
    writeFileSync(`${logPath(dir)}.compact`, bytes.subarray(0, 20))
    withStore(dir, (store) => assert.equal(store.load()?.outgoing.length, 2))
    assert.throws(() => statSync(`${logPath(dir)}.compact`), { code: 'ENOENT' })
  })
})
