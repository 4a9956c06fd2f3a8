// The decoder gives the same packets however the bytes are cut: every split point of every golden vector,
// one byte at a time, all vectors in one chunk, and all vectors in random-sized chunks.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Decoder } from '../../src/packet/decode.js'
import type { Packet, PublishPacket } from '../../src/packet/types.js'
import { GOLDEN_VECTORS, hexToBytes } from './golden-vectors.js'

const vectors = GOLDEN_VECTORS.map((vector) => ({ ...vector, bytes: hexToBytes(vector.hex) }))
const stream = concat(vectors.map((vector) => vector.bytes))
const allPackets: Packet[] = vectors.map((vector) => vector.packet)

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let pos = 0
  for (const part of parts) {
    out.set(part, pos)
    pos += part.length
  }
  return out
}

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('every split point of every golden vector', () => {
  for (const vector of vectors) {
    test(`v${vector.protocolVersion} ${vector.packet.type}: ${vector.name}`, () => {
      for (let cut = 0; cut <= vector.bytes.length; cut++) {
        const decoder = new Decoder({ protocolVersion: vector.protocolVersion })
        const first = decoder.push(vector.bytes.subarray(0, cut))
        const second = decoder.push(vector.bytes.subarray(cut))
        assert.deepStrictEqual([...first, ...second], [vector.packet], `cut at ${cut}`)
        assert.equal(decoder.buffered, 0)
      }
    })
  }
})

describe('one byte at a time', () => {
  for (const vector of vectors) {
    test(`v${vector.protocolVersion} ${vector.packet.type}: ${vector.name}`, () => {
      const decoder = new Decoder({ protocolVersion: vector.protocolVersion })
      const last = vector.bytes.length - 1
      for (let i = 0; i < last; i++) {
        decoder.write(vector.bytes.subarray(i, i + 1))
        assert.equal(decoder.read(), undefined, `complete after ${i + 1} bytes`)
        assert.equal(decoder.buffered, i + 1)
      }
      assert.deepStrictEqual(decoder.push(vector.bytes.subarray(last)), [vector.packet])
      assert.equal(decoder.read(), undefined)
    })
  }
})

test('all golden vectors in one chunk', () => {
  // Each protocol level's group starts with a CONNECT, which switches the decoder to that level.
  const decoder = new Decoder()
  assert.deepStrictEqual(decoder.push(stream), allPackets)
  assert.equal(decoder.buffered, 0)
  assert.equal(decoder.protocolVersion, 5)
})

test('all golden vectors in random-sized chunks', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const next = random(seed)
    const maxChunk = 1 + Math.floor(next() * 64)
    const decoder = new Decoder()
    const packets: Packet[] = []
    for (let pos = 0; pos < stream.length; ) {
      const size = 1 + Math.floor(next() * maxChunk)
      packets.push(...decoder.push(stream.subarray(pos, pos + size)))
      pos += size
    }
    assert.deepStrictEqual(packets, allPackets, `seed ${seed}`)
  }
})

test('a frame inside one chunk is decoded from a view of it; a split frame from one copy', () => {
  const bytes = hexToBytes('32 08 0001 74 000a 00 0102') // v5 QoS 1 PUBLISH
  const whole = new Decoder().push(bytes)[0] as PublishPacket
  assert.equal(whole.payload.buffer, bytes.buffer)
  const decoder = new Decoder()
  decoder.write(bytes.slice(0, 4))
  decoder.write(bytes.slice(4))
  const split = decoder.read() as PublishPacket
  assert.notEqual(split.payload.buffer, bytes.buffer)
  assert.deepEqual(Array.from(split.payload), [1, 2])
})
