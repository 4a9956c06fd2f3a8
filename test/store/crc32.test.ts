// The CRC-32 that guards log records matches the standard check values (IEEE 802.3, as zlib computes it).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { crc32 } from '../../src/store/crc32.js'

test('crc32 check values', () => {
  const ascii = (text: string) => new TextEncoder().encode(text)
  assert.equal(crc32(ascii('123456789')), 0xcbf43926)
  assert.equal(crc32(new Uint8Array(0)), 0)
  assert.equal(crc32(ascii('The quick brown fox jumps over the lazy dog')), 0x414fa339)
  assert.equal(crc32(ascii('xx123456789yy'), 2, 11), 0xcbf43926)
})
