// Property-based round trips: every valid packet encodes and decodes back to itself, whole and in random
// chunks. 10,000 runs per packet type per protocol version.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { Decoder } from '../../src/packet/decode.js'
import { encode } from '../../src/packet/encode.js'
import type { Packet, ProtocolVersion } from '../../src/packet/types.js'
import { PROTOCOL_VERSIONS, packetArbitrary, packetTypesOf } from './arbitraries.js'

const RUNS = 10_000

/** Splits `bytes` at the given cut points (taken modulo its length). */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % bytes.length))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let start = 0
  for (const point of points) {
    if (point === start) continue
    chunks.push(bytes.subarray(start, point))
    start = point
  }
  chunks.push(bytes.subarray(start))
  return chunks
}

function decodeAll(version: ProtocolVersion, chunks: Uint8Array[]): Packet[] {
  const decoder = new Decoder({ protocolVersion: version })
  return chunks.flatMap((chunk) => decoder.push(chunk))
}

for (const version of PROTOCOL_VERSIONS) {
  describe(`round trip, protocol version ${version}`, () => {
    for (const type of packetTypesOf(version)) {
      test(`${type} × ${RUNS}`, () => {
        const cuts = fc.array(fc.nat(), { maxLength: 4 })
        fc.assert(
          fc.property(packetArbitrary(type, version), cuts, (packet, cutPoints) => {
            const bytes = encode(packet, version)
            assert.deepStrictEqual(decodeAll(version, [bytes]), [packet])
            assert.deepStrictEqual(decodeAll(version, chunked(bytes, cutPoints)), [packet])
          }),
          { numRuns: RUNS },
        )
      })
    }
  })
}
