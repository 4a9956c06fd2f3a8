// The MQTT 3.1 / 3.1.1 bridge bit (protocol level 0x83 / 0x84, a Mosquitto / RSMB extension, Paho's
// enable_bridge_mode): golden bytes both ways, and what stays refused.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Decoder } from '../../src/packet/decode.js'
import { encode } from '../../src/packet/encode.js'
import type { MqttError } from '../../src/packet/errors.js'
import type { ConnectPacket, ProtocolVersion } from '../../src/packet/types.js'
import { hexToBytes } from './golden-vectors.js'

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

const connect = (protocolVersion: ProtocolVersion, bridge?: boolean): ConnectPacket => ({
  type: 'connect',
  protocolVersion,
  clientId: 'br',
  clean: true,
  keepalive: 60,
  ...(bridge === undefined ? {} : { bridge }),
})

const VECTORS = [
  // 'MQTT', level 0x84, flags clean, keepalive 60, client id 'br'
  { version: 4, hex: '100e00044d5154548402003c00026272' },
  // 'MQIsdp', level 0x83
  { version: 3, hex: '101000064d5149736470' + '8302003c00026272' },
] as const

describe('CONNECT bridge bit', () => {
  for (const { version, hex } of VECTORS) {
    test(`protocol ${version}: bridge: true encodes the level with the top bit set`, () => {
      assert.equal(toHex(encode(connect(version, true), version)), hex)
    })

    test(`protocol ${version}: the level 0x8${version} decodes as bridge: true`, () => {
      const decoder = new Decoder({ protocolVersion: version })
      assert.deepStrictEqual(decoder.push(hexToBytes(hex)), [connect(version, true)])
    })

    test(`protocol ${version}: bridge: false or absent leaves the plain level, decoded without the field`, () => {
      const plain = toHex(encode(connect(version), version))
      assert.equal(toHex(encode(connect(version, false), version)), plain)
      const levelAt = version === 3 ? 10 : 8
      assert.equal(hexToBytes(plain)[levelAt], version)
      assert.deepStrictEqual(new Decoder({ protocolVersion: version }).push(hexToBytes(plain)), [connect(version)])
    })
  }

  test('MQTT 5 has no bridge bit: encoding one is refused', () => {
    assert.throws(
      () => encode(connect(5, true), 5),
      (error: MqttError) => error.code === 'ERR_INVALID_PACKET',
    )
  })

  test('level 0x85 stays an unsupported protocol level', () => {
    const bytes = hexToBytes('100f00044d5154548502003c0000026272')
    assert.throws(
      () => new Decoder({ protocolVersion: 5 }).push(bytes),
      (error: MqttError) => error.code === 'ERR_PROTOCOL_VERSION' && error.reasonCode === 0x84,
    )
  })

  test("the bridge bit goes with its own name only: 'MQIsdp' 0x84 and 'MQTT' 0x83 are unsupported levels", () => {
    for (const hex of ['101000064d5149736470' + '8402003c00026272', '100e00044d5154548302003c00026272']) {
      assert.throws(
        () => new Decoder({ protocolVersion: 4 }).push(hexToBytes(hex)),
        (error: MqttError) => error.code === 'ERR_PROTOCOL_VERSION',
      )
    }
  })

  test('a non-boolean bridge is refused when encoding', () => {
    const packet = { ...connect(4), bridge: 1 } as unknown as ConnectPacket
    assert.throws(
      () => encode(packet, 4),
      (error: MqttError) => error.code === 'ERR_INVALID_PACKET',
    )
  })
})
