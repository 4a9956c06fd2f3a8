// Every entry of the malformed corpus is rejected with exactly its code and error class, both when the
// frame arrives whole and when it arrives one byte at a time.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Decoder } from '../../src/packet/decode.js'
import { MalformedPacketError, MqttError, PacketTooLargeError, ProtocolError } from '../../src/packet/errors.js'
import { V4_VALID, V5_VALID } from './malformed-bytes.js'
import type { MalformedCase } from './malformed-case.js'
import { MALFORMED_CORPUS } from './malformed-corpus.js'

const CLASSES = { MalformedPacketError, ProtocolError, PacketTooLargeError }

const fromHex = (hex: string) => Uint8Array.from(hex.split(' '), (byte) => Number.parseInt(byte, 16))

/** Feeds `chunks` to a fresh decoder; returns what went wrong, or undefined when the entry passes. */
function check(entry: MalformedCase, chunks: Uint8Array[]): string | undefined {
  const decoder = new Decoder({ protocolVersion: entry.version, maximumPacketSize: entry.maximumPacketSize })
  try {
    const packets = chunks.flatMap((chunk) => decoder.push(chunk))
    return `accepted as ${JSON.stringify(packets.map((p) => p.type))}`
  } catch (error) {
    if (!(error instanceof MqttError)) return `threw a non-MqttError: ${String(error)}`
    if (error.code !== entry.code) return `code ${error.code} (${error.message})`
    if (!(error instanceof CLASSES[entry.errorClass])) return `class ${error.constructor.name}`
    return undefined
  }
}

function failures(entries: readonly MalformedCase[], split: (bytes: Uint8Array) => Uint8Array[]): string[] {
  const out: string[] = []
  for (const entry of entries) {
    const problem = check(entry, split(fromHex(entry.hex)))
    if (problem) out.push(`${entry.name} [${entry.hex}] expected ${entry.code}: ${problem}`)
  }
  return out
}

const whole = (bytes: Uint8Array) => [bytes]
const byteByByte = (bytes: Uint8Array) => Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))

test('the corpus is large and its entries are unique', () => {
  assert.ok(MALFORMED_CORPUS.length >= 300, `${MALFORMED_CORPUS.length} entries`)
  const keys = MALFORMED_CORPUS.map((entry) => `${entry.version} ${entry.hex} ${entry.maximumPacketSize ?? ''}`)
  const duplicates = keys.filter((key, i) => keys.indexOf(key) !== i)
  assert.deepEqual(duplicates, [])
})

test('the templates the corpus breaks are valid', () => {
  for (const [version, templates] of [
    [4, V4_VALID],
    [5, V5_VALID],
  ] as const) {
    for (const [type, bytes] of Object.entries(templates)) {
      const packets = new Decoder({ protocolVersion: version }).push(Uint8Array.from(bytes))
      assert.equal(packets.length, 1, `v${version} ${type}`)
      assert.equal(packets[0]!.type, type === 'will' ? 'connect' : type)
    }
  }
})

for (const version of [4, 5] as const) {
  describe(`malformed corpus, protocol version ${version}`, () => {
    const entries = MALFORMED_CORPUS.filter((entry) => entry.version === version)
    test(`${entries.length} frames rejected when pushed whole`, () => {
      assert.deepEqual(failures(entries, whole), [])
    })
    test(`${entries.length} frames rejected when pushed one byte at a time`, () => {
      assert.deepEqual(failures(entries, byteByByte), [])
    })
  })
}
