// The encoder writes only the reason codes MQTT 5.0 defines for each packet type: every byte 0x00..0xFF is
// tried, and the accepted ones must be exactly the spec's table (written out here from sections 3.4.2.1,
// 3.5.2.1, 3.6.2.1, 3.7.2.1, 3.14.2.1 and 3.15.2.1), with the code itself on the wire.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { encode } from '../../src/packet/encode.js'
import { MqttError } from '../../src/packet/errors.js'
import type { Packet } from '../../src/packet/types.js'

const PUB_ACK = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]
const DISCONNECT = [
  0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97,
  0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
]

/** Encodes the packet with each reason code; returns the codes accepted, checking each one's bytes. */
function acceptedCodes(make: (code: number) => Packet, codeOffset: number): number[] {
  const accepted: number[] = []
  for (let code = 0; code <= 0xff; code++) {
    let bytes: Uint8Array
    try {
      bytes = encode(make(code), 5)
    } catch (error) {
      assert.ok(error instanceof MqttError)
      assert.equal(error.code, 'ERR_REASON_CODE')
      continue
    }
    // A success code 0 may be left out (short form); any other code is on the wire where the spec puts it.
    if (code !== 0 || bytes.length > codeOffset) assert.equal(bytes[codeOffset], code)
    accepted.push(code)
  }
  return accepted
}

describe('outgoing reason codes are those the spec defines for the packet', () => {
  test('[MQTT-3.4.2-1] [MQTT-3.5.2-1] [MQTT-3.6.2-1] [MQTT-3.7.2-1] PUBACK, PUBREC, PUBREL, PUBCOMP', () => {
    for (const [type, first, table] of [
      ['puback', 0x40, PUB_ACK],
      ['pubrec', 0x50, PUB_ACK],
      ['pubrel', 0x62, [0x00, 0x92]],
      ['pubcomp', 0x70, [0x00, 0x92]],
    ] as const) {
      const make = (reasonCode: number) => ({ type, packetId: 0x0102, reasonCode }) as Packet
      assert.deepEqual(acceptedCodes(make, 4), table, type)
      assert.deepEqual([...encode(make(table.at(-1)!), 5)], [first, 3, 0x01, 0x02, table.at(-1)!])
    }
  })

  test('[MQTT-3.14.2-1] DISCONNECT', () => {
    assert.deepEqual(
      acceptedCodes((reasonCode) => ({ type: 'disconnect', reasonCode }), 2),
      DISCONNECT,
    )
    assert.deepEqual([...encode({ type: 'disconnect', reasonCode: 0x04 }, 5)], [0xe0, 1, 0x04])
  })

  test('[MQTT-3.15.2-1] AUTH', () => {
    const make = (reasonCode: number): Packet => ({
      type: 'auth',
      reasonCode,
      properties: { authenticationMethod: 'M' },
    })
    assert.deepEqual(acceptedCodes(make, 2), [0x00, 0x18, 0x19])
    assert.deepEqual([...encode(make(0x18), 5)], [0xf0, 6, 0x18, 4, 0x15, 0, 1, 0x4d])
  })
})
