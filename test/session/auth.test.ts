// MQTT 5 enhanced authentication through the Authenticator.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Authenticator } from '../../src/session/api.js'
import { Session } from '../../src/session/session.js'
import { frame, hex, Peer, str, utf8 } from './peer.js'

function scram(log: string[] = []): Authenticator {
  return {
    method: 'SCRAM',
    initialData: () => utf8('hi'),
    challenge(data) {
      log.push(new TextDecoder().decode(data))
      return utf8('proof')
    },
  }
}

/** A property block as hex, led by its (one-byte) length. */
const props = (body: string) => `${body.split(' ').length.toString(16).padStart(2, '0')} ${body}`
const authProps = (data: string, method = 'SCRAM') => props(`15 ${str(method)} 16 ${str(data)}`)
const methodOnly = (method = 'SCRAM') => props(`15 ${str(method)}`)

describe('enhanced authentication', () => {
  test('[MQTT-4.12.0-3] [MQTT-4.12.0-5] [MQTT-3.1.2-30] [MQTT-3.15.1-1] [MQTT-3.15.2-1] CONNECT carries the method; a challenge is answered with AUTH 0x18; nothing else before CONNACK', () => {
    const log: string[] = []
    const peer = new Peer({ authenticator: scram(log) }).open()
    peer.expect(frame(0x10, str('MQTT'), '05 02 00 3c', authProps('hi'), str('test-client')))
    peer.session.publish({ topic: 'a', payload: utf8('x'), qos: 0, retain: false }, peer.now)
    peer.session.subscribe([{ topic: 'a', qos: 0 }], undefined, peer.now)
    const challenge = frame(0xf0, '18', authProps('srv'))
    peer.send(challenge)
    assert.deepEqual(log, ['srv'])
    peer.expect(frame(0xf0, '18', authProps('proof')))
    assert.deepEqual(
      peer.take('auth').map((e) => e.reasonCode),
      [0x18],
    )
    peer.send(frame(0x20, '00 00', methodOnly()))
    assert.equal(peer.take('connected').length, 1)
    peer.expect(frame(0x82, '00 01 00', str('a'), '00'), frame(0x30, str('a'), '00', '78'))
  })

  test('[MQTT-4.12.1-1] re-authentication: AUTH 0x19 with the same method; the server AUTH 0x00 is reported', () => {
    const peer = new Peer({ authenticator: scram() }).connect()
    peer.session.reauthenticate(peer.now)
    peer.expect(frame(0xf0, '19', authProps('hi')))
    peer.send(frame(0xf0, '00', methodOnly()))
    assert.deepEqual(peer.take('auth'), [
      { type: 'auth', reasonCode: 0, properties: { authenticationMethod: 'SCRAM' } },
    ])
  })

  test('[MQTT-4.12.0-7] without an authenticator: AUTH from the server is a protocol error; reauthenticate throws', () => {
    const peer = new Peer().connect()
    assert.throws(() => peer.session.reauthenticate(peer.now), { code: 'ERR_INVALID_ARGUMENT' })
    peer.expectNothing()
    peer.send(frame(0xf0, '18', methodOnly())).expect('e0 01 82')
    assert.equal(peer.take('error')[0]?.error.code, 'ERR_AUTH_METHOD')
    assert.throws(() => new Session({ clientId: 'c', protocolVersion: 4, authenticator: scram() }), {
      code: 'ERR_INVALID_ARGUMENT',
    })
  })

  test('an AUTH with another method is a protocol error', () => {
    const peer = new Peer({ authenticator: scram() }).open()
    peer.written()
    peer.send(frame(0xf0, '18', methodOnly('OTHER'))).expect('e0 01 82')
    assert.equal(peer.take('error')[0]?.error.code, 'ERR_AUTH_METHOD')
  })

  test('a refused challenge closes the connection with DISCONNECT 0x87', () => {
    const refusing: Authenticator = {
      method: 'SCRAM',
      challenge() {
        throw new Error('bad server proof')
      },
    }
    const peer = new Peer({ authenticator: refusing }).open()
    peer.expect(frame(0x10, str('MQTT'), '05 02 00 3c', methodOnly(), str('test-client')))
    peer.send(frame(0xf0, '18', methodOnly())).expect('e0 01 87')
    assert.deepEqual(peer.types(), ['error', 'close'])
  })

  test('[MQTT-3.15.2-2] [MQTT-3.15.2-3] an AUTH too large for the server drops its reason string and user properties', () => {
    const peer = new Peer({ authenticator: scram() }).connect({}, { maximumPacketSize: 20 })
    peer.session.reauthenticate(peer.now, { reasonString: 'a rather long reason', userProperties: [['key', 'value']] })
    peer.expect(frame(0xf0, '19', authProps('hi')))
    assert.equal(hex(frame(0xf0, '19', authProps('hi'))).length, 17) // within the limit of 20
  })
})
