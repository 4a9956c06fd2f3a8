// Server packets that break the protocol: the session sends DISCONNECT with the right reason code (MQTT 5),
// reports a typed error and asks to close. Nothing is ever thrown from receive().
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SessionEvent } from '../../src/session/api.js'
import { frame, Peer, str } from './peer.js'

function errorCode(events: SessionEvent[]): string | undefined {
  const error = events.find((e) => e.type === 'error')
  return error?.type === 'error' ? error.error.code : undefined
}

describe('protocol errors from the server', () => {
  for (const [name, bytes] of [
    ['CONNECT', frame(0x10, str('MQTT'), '05 02 00 3c 00', str('x'))],
    ['SUBSCRIBE', frame(0x82, '00 01 00', str('a'), '00')],
    ['UNSUBSCRIBE', frame(0xa2, '00 01 00', str('a'))],
    ['PINGREQ', 'c0 00'],
    ['a second CONNACK', '20 03 00 00 00'],
  ] as const) {
    test(`${name} from the server: DISCONNECT 0x82, error, close`, () => {
      const peer = new Peer().connect()
      peer.send(bytes).expect('e0 01 82')
      const events = peer.events()
      assert.equal(errorCode(events), 'ERR_UNEXPECTED_PACKET')
      assert.equal(events.at(-1)?.type, 'close')
    })
  }

  test('anything but CONNACK or AUTH before the CONNACK is a protocol error', () => {
    const peer = new Peer().open()
    peer.written()
    peer.send(frame(0x30, str('a'), '00')).expect('e0 01 82')
    assert.equal(errorCode(peer.events()), 'ERR_UNEXPECTED_PACKET')
  })

  test('[MQTT-3.3.1-4] [MQTT-3.14.1-1] [MQTT-4.13.2-1] malformed packets (QoS 3, DISCONNECT flags) end the connection with DISCONNECT 0x81', () => {
    for (const bytes of [frame(0x36, str('a'), '00 01 00'), 'e1 00']) {
      const peer = new Peer().connect()
      peer.send(bytes).expect('e0 01 81')
      const events = peer.events()
      assert.equal(events.find((e) => e.type === 'error')?.type, 'error')
      assert.equal(events.at(-1)?.type, 'close')
    }
  })

  test('[MQTT-1.5.4-1] [MQTT-1.5.4-2] ill-formed UTF-8 or U+0000 in a topic is malformed', () => {
    for (const topic of ['00 02 c3 28', '00 03 61 00 62']) {
      const peer = new Peer().connect()
      peer.send(frame(0x30, topic, '00')).expect('e0 01 81')
      assert.equal(errorCode(peer.events()), 'ERR_UTF8')
    }
  })

  test('[3.1.1: MQTT-4.8.0-1, MQTT-2.2.2-2] in 3.1.1 a bad packet closes the connection without DISCONNECT', () => {
    const peer = new Peer({ protocolVersion: 4 }).connect()
    peer.send('41 02 00 01').expectNothing()
    const events = peer.events()
    assert.equal(errorCode(events), 'ERR_HEADER_FLAGS')
    assert.equal(events.at(-1)?.type, 'close')
  })

  test('nothing is thrown and nothing more is read after an error; garbage in any state is safe', () => {
    const peer = new Peer().connect()
    peer.send('00 00', '40 02 00 01', frame(0x30, str('a'), '00'))
    assert.equal(peer.written(), 'e0 01 81')
    assert.deepEqual(peer.types(), ['error', 'close'])
    const offline = new Peer()
    offline.send('ff ff ff ff')
    offline.advance(100_000)
    offline.drop()
    assert.deepEqual(offline.types(), [])
  })

  test('a packet split across reads and several packets in one read are both handled', () => {
    const peer = new Peer({ protocolVersion: 4 }).open()
    peer.written()
    peer.send('20', '02 00', '00 30 03 00 01 61 30 03 00')
    peer.send('01 62')
    const topics = peer.take('message').map((e) => e.message.topic)
    assert.deepEqual(topics, ['a', 'b'])
  })
})
