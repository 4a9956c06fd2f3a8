// Golden vectors: each decodes to its packet object, and each object encodes to exactly its bytes.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Decoder } from '../../src/packet/decode.js'
import { encode } from '../../src/packet/encode.js'
import type { PacketType, ProtocolVersion } from '../../src/packet/types.js'
import { GOLDEN_VECTORS, hexToBytes } from './golden-vectors.js'

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

for (const version of [3, 4, 5] as const) {
  describe(`golden vectors, protocol version ${version}`, () => {
    for (const vector of GOLDEN_VECTORS.filter((v) => v.protocolVersion === version)) {
      const bytes = hexToBytes(vector.hex)
      test(`${vector.packet.type}: ${vector.name} decodes`, () => {
        const decoder = new Decoder({ protocolVersion: version })
        assert.deepStrictEqual(decoder.push(bytes), [vector.packet])
        assert.equal(decoder.buffered, 0)
      })
      if (!vector.decodeOnly) {
        test(`${vector.packet.type}: ${vector.name} encodes`, () => {
          assert.equal(toHex(encode(vector.packet, version)), toHex(bytes))
        })
      }
    }
  })
}

test('the vectors cover every packet type at every protocol version', () => {
  const types: PacketType[] = ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp']
  types.push('subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth')
  for (const version of [3, 4, 5] as ProtocolVersion[]) {
    const covered = new Set(GOLDEN_VECTORS.filter((v) => v.protocolVersion === version).map((v) => v.packet.type))
    const expected = version === 5 ? types : types.filter((type) => type !== 'auth')
    assert.deepEqual(
      expected.filter((type) => !covered.has(type)),
      [],
      `missing at version ${version}`,
    )
  }
})
