// Durable store benchmark: what each fsync policy costs, in store records per second and in complete
// QoS 1 / QoS 2 message lifecycles per second (put, sent, [released,] removed: the calls a session makes),
// and how large a stored message is in the binary log format against JSON with a base64 payload.
// Usage: node --import tsx bench/store.ts [--quick] [--dir <path on the disk to measure>]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StoredOutgoing } from '../src/session/store.js'
import { createFileStore, type FsyncPolicy } from '../src/store/index.js'
import { frameRecord } from '../src/store/log-format.js'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const dirArg = args.indexOf('--dir')
const base = dirArg >= 0 ? args[dirArg + 1]! : tmpdir()
const RUN_MS = quick ? 300 : 1500

function message(seq: number, qos: 1 | 2, payloadBytes: number): StoredOutgoing {
  return {
    seq,
    token: seq,
    packetId: (seq % 65_535) + 1,
    topic: 'sensors/building-7/floor-3/temperature',
    payload: new Uint8Array(payloadBytes).fill(seq & 0xff),
    qos,
    retain: false,
    state: 'queued',
    dup: false,
  }
}

/** Runs whole message lifecycles against a fresh store for RUN_MS; returns records/s and messages/s. */
function measure(fsync: FsyncPolicy, qos: 1 | 2, payloadBytes: number): { records: number; messages: number } {
  const dir = mkdtempSync(join(base, 'petrel-store-bench-'))
  const store = createFileStore(dir, { fsync })
  let records = 0
  let messages = 0
  const start = performance.now()
  let elapsed = 0
  try {
    while (elapsed < RUN_MS) {
      for (let i = 0; i < 16; i++) {
        const m = message(messages + 1, qos, payloadBytes)
        store.putOutgoing(m)
        store.updateOutgoing({ ...m, state: 'sent' })
        if (qos === 2) store.updateOutgoing({ ...m, state: 'released', releaseOrder: m.seq })
        store.removeOutgoing(m.seq)
        records += qos === 2 ? 4 : 3
        messages++
      }
      elapsed = performance.now() - start
    }
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { records: (records * 1000) / elapsed, messages: (messages * 1000) / elapsed }
}

function jsonSize(m: StoredOutgoing): number {
  return Buffer.byteLength(JSON.stringify({ ...m, payload: Buffer.from(m.payload).toString('base64') }))
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

console.log(`store benchmark in ${base} (${RUN_MS} ms per row)\n`)
console.log('fsync    qos  payload   records/s   messages/s')
for (const fsync of ['never', 'batch', 'always'] as const) {
  for (const [qos, payload] of [
    [1, 64],
    [2, 64],
    [1, 16_384],
  ] as const) {
    const { records, messages } = measure(fsync, qos, payload)
    console.log(
      `${fsync.padEnd(8)} ${String(qos).padEnd(4)} ${String(payload).padStart(7)} ${fmt(records).padStart(11)} ${fmt(messages).padStart(12)}`,
    )
  }
}

console.log('\nbytes per stored message (putOutgoing record):')
for (const payload of [0, 64, 1024]) {
  const m = message(123_456, 1, payload)
  const binary = frameRecord({ type: 'putOutgoing', message: m }).length
  const json = jsonSize(m)
  console.log(`  payload ${String(payload).padStart(5)} B: binary frame ${binary} B, JSON + base64 ${json} B`)
}
const update = frameRecord({ type: 'updateOutgoing', seq: 123_456, state: 'sent', dup: false }).length
console.log(`  a state change (updateOutgoing): binary frame ${update} B`)
