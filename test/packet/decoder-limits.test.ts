// Decoder limits and lifecycle: the maximum packet size is enforced from the fixed header alone, the
// Remaining Length has at most 4 bytes, a bad frame poisons the decoder after the good packets before it,
// and reset() starts over.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Decoder } from '../../src/packet/decode.js'
import { MqttError, PacketTooLargeError } from '../../src/packet/errors.js'
import { hexToBytes } from './golden-vectors.js'

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    assert.ok(error instanceof MqttError, `not an MqttError: ${String(error)}`)
    return error.code
  }
  assert.fail('did not throw')
}

describe('maximum packet size', () => {
  test('an oversize packet is refused from its fixed header, before the body arrives', () => {
    const decoder = new Decoder({ protocolVersion: 4, maximumPacketSize: 100 })
    decoder.write(hexToBytes('30 63')) // PUBLISH, remaining length 99: 101 bytes in all
    assert.throws(
      () => decoder.read(),
      (error: unknown) =>
        error instanceof PacketTooLargeError &&
        error.code === 'ERR_PACKET_TOO_LARGE' &&
        error.reasonCode === 0x95 &&
        error.size === 101 &&
        error.limit === 100,
    )
    assert.equal(decoder.buffered, 2)
  })

  test('a packet of exactly the maximum size is accepted', () => {
    const decoder = new Decoder({ protocolVersion: 4, maximumPacketSize: 10 })
    // 10 bytes: 30 08 | 0001 61 | 5 payload bytes
    assert.equal(decoder.push(hexToBytes('30 08 0001 61 0102030405')).length, 1)
  })

  test('the largest Remaining Length is refused at once under a small limit', () => {
    const decoder = new Decoder({ maximumPacketSize: 1024 })
    assert.equal(
      codeOf(() => decoder.push(hexToBytes('30 ffffff7f'))),
      'ERR_PACKET_TOO_LARGE',
    )
  })

  test('under the protocol maximum, a huge declared length only waits (nothing sized by it is allocated)', () => {
    const decoder = new Decoder()
    assert.deepEqual(decoder.push(hexToBytes('30 ffffff7f 0001 61')), [])
    assert.equal(decoder.buffered, 8)
  })

  test('maximumPacketSize can be changed on a live decoder', () => {
    const decoder = new Decoder({ protocolVersion: 4 })
    assert.equal(decoder.push(hexToBytes('30 05 0001 61 0000')).length, 1)
    decoder.maximumPacketSize = 6
    assert.equal(
      codeOf(() => decoder.push(hexToBytes('30 05 0001 61 0000'))),
      'ERR_PACKET_TOO_LARGE',
    )
  })
})

describe('remaining length', () => {
  test('a fifth length byte is refused as soon as the fourth says more follow', () => {
    const decoder = new Decoder()
    decoder.write(hexToBytes('30 80 80 80'))
    assert.equal(decoder.read(), undefined)
    decoder.write(hexToBytes('80'))
    assert.equal(
      codeOf(() => decoder.read()),
      'ERR_REMAINING_LENGTH',
    )
  })

  test('a 5-byte remaining length is refused', () => {
    assert.equal(
      codeOf(() => new Decoder().push(hexToBytes('30 8080808001 0001 61'))),
      'ERR_REMAINING_LENGTH',
    )
  })

  test('a non-minimal remaining length is refused [MQTT-1.5.5-1]', () => {
    assert.equal(
      codeOf(() => new Decoder().push(hexToBytes('c0 8000'))),
      'ERR_REMAINING_LENGTH',
    )
  })
})

describe('after a bad frame', () => {
  const goodThenBad = hexToBytes('d0 00 d0 00 00 00 d0 00') // PINGRESP, PINGRESP, packet type 0, PINGRESP

  test('read() hands out the packets before the bad one first', () => {
    const decoder = new Decoder()
    decoder.write(goodThenBad)
    assert.deepEqual(decoder.read(), { type: 'pingresp' })
    assert.deepEqual(decoder.read(), { type: 'pingresp' })
    assert.equal(
      codeOf(() => decoder.read()),
      'ERR_PACKET_TYPE',
    )
  })

  test('the decoder is poisoned: read and push throw the same error again', () => {
    const decoder = new Decoder()
    assert.equal(
      codeOf(() => decoder.push(goodThenBad)),
      'ERR_PACKET_TYPE',
    )
    let first: unknown
    try {
      decoder.read()
    } catch (error) {
      first = error
    }
    assert.ok(first instanceof MqttError)
    assert.throws(
      () => decoder.read(),
      (error) => error === first,
    )
    assert.throws(
      () => decoder.push(hexToBytes('d0 00')),
      (error) => error === first,
    )
  })

  test('reset() drops the buffered bytes and the error', () => {
    const decoder = new Decoder()
    assert.equal(
      codeOf(() => decoder.push(goodThenBad)),
      'ERR_PACKET_TYPE',
    )
    decoder.reset()
    assert.equal(decoder.buffered, 0)
    assert.deepEqual(decoder.push(hexToBytes('d0 00')), [{ type: 'pingresp' }])
  })

  test('reset() drops a partial frame', () => {
    const decoder = new Decoder({ protocolVersion: 4 })
    decoder.write(hexToBytes('30 05 0001'))
    assert.equal(decoder.buffered, 4)
    decoder.reset()
    assert.equal(decoder.buffered, 0)
    assert.deepEqual(decoder.push(hexToBytes('c0 00')), [{ type: 'pingreq' }])
  })
})

describe('protocol version', () => {
  test('AUTH is refused before MQTT 5 and accepted after switching the decoder to 5', () => {
    const decoder = new Decoder({ protocolVersion: 4 })
    assert.equal(
      codeOf(() => decoder.push(hexToBytes('f0 00'))),
      'ERR_PACKET_TYPE',
    )
    const v5 = new Decoder({ protocolVersion: 4 })
    v5.protocolVersion = 5
    assert.deepEqual(v5.push(hexToBytes('f0 00')), [{ type: 'auth', reasonCode: 0 }])
  })

  test('decoding a CONNECT switches the decoder to its level (server role)', () => {
    const decoder = new Decoder()
    decoder.push(hexToBytes('10 0c 0004 4d515454 04 02 003c 0000'))
    assert.equal(decoder.protocolVersion, 4)
    assert.deepEqual(decoder.push(hexToBytes('40 02 0001')), [{ type: 'puback', packetId: 1 }])
  })

  test('the default level is 5', () => {
    assert.equal(new Decoder().protocolVersion, 5)
    assert.deepEqual(new Decoder().push(hexToBytes('40 02 0001')), [{ type: 'puback', packetId: 1, reasonCode: 0 }])
  })
})
