// Trimming control packets to the server's Maximum Packet Size, and the fixed-header flags we write.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MqttError } from '../../src/packet/errors.js'
import type { Packet } from '../../src/packet/types.js'
import { encodeWithin } from '../../src/session/packet-size.js'
import { frame, Peer, str, toHex } from './peer.js'

const properties = {
  reasonString: 'a reason that is rather long',
  userProperties: [['key', 'value']] as [string, string][],
}

describe('Maximum Packet Size trimming [MQTT-3.4.2-2, MQTT-3.4.2-3, MQTT-3.5.2-2, MQTT-3.5.2-3, MQTT-3.6.2-2, MQTT-3.6.2-3, MQTT-3.7.2-2, MQTT-3.7.2-3]', () => {
  for (const [type, first, ids] of [
    ['puback', 0x40, '[MQTT-3.4.2-2] [MQTT-3.4.2-3]'],
    ['pubrec', 0x50, '[MQTT-3.5.2-2] [MQTT-3.5.2-3]'],
    ['pubrel', 0x62, '[MQTT-3.6.2-2] [MQTT-3.6.2-3]'],
    ['pubcomp', 0x70, '[MQTT-3.7.2-2] [MQTT-3.7.2-3]'],
  ] as const) {
    test(`${ids} ${type.toUpperCase()}: the Reason String goes first, then the User Properties`, () => {
      const code = type === 'puback' ? 0x10 : 0
      const packet = { type, packetId: 1, reasonCode: code, properties } as Packet
      const withUser = encodeWithin(packet, 5, 20)
      assert.ok(withUser instanceof Uint8Array)
      assert.equal(
        toHex(withUser),
        frame(first, '00 01', code.toString(16).padStart(2, '0'), '0d', `26 ${str('key')} ${str('value')}`),
      )
      const bare = encodeWithin(packet, 5, 6)
      assert.ok(bare instanceof Uint8Array)
      // Without properties, a success code 0 is left out entirely (short form).
      assert.equal(toHex(bare), code === 0 ? frame(first, '00 01') : frame(first, '00 01', '10'))
      const impossible = encodeWithin(packet, 5, 3)
      assert.ok(impossible instanceof MqttError)
      assert.equal(impossible.code, 'ERR_PACKET_TOO_LARGE')
    })
  }

  test("a SUBSCRIBE keeps its user properties (the application's) and fails instead", () => {
    const userProperties = properties.userProperties
    const packet: Packet = {
      type: 'subscribe',
      packetId: 1,
      subscriptions: [{ topic: 'a', qos: 0 }],
      properties: { userProperties },
    }
    const result = encodeWithin(packet, 5, 20)
    assert.ok(result instanceof MqttError)
    assert.equal(result.code, 'ERR_PACKET_TOO_LARGE')
  })
})

test('[MQTT-2.1.3-1] [MQTT-3.6.1-1] fixed-header flags: PUBREL/SUBSCRIBE/UNSUBSCRIBE 0010, others 0000; PUBREL success code', () => {
  const peer = new Peer().connect()
  peer.session.publish({ topic: 'a', payload: new Uint8Array(0), qos: 2, retain: false }, peer.now)
  peer.session.subscribe([{ topic: 'a', qos: 0 }], undefined, peer.now)
  peer.session.unsubscribe(['a'], undefined, peer.now)
  const flags = peer.written()
  assert.match(flags, /^34 .* 82 .* a2 /)
  peer.send('50 02 00 01').expect('62 02 00 01')
  peer.advance(60_000).expect('c0 00')
  peer.session.disconnect(peer.now)
  peer.expect('e0 00')
})

test('[3.1.1: MQTT-1.5.3-3] an incoming U+FEFF at the start of a topic is kept', () => {
  const peer = new Peer({ protocolVersion: 4 }).connect()
  peer.send(frame(0x30, '00 04 ef bb bf 61', '78'))
  assert.equal(peer.take('message')[0]?.message.topic, '\ufeffa')
})
