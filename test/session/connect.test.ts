// CONNECT / CONNACK for 3.1, 3.1.1 and 5.0 (Paho's 01-* client scenarios and more), version fallback,
// refusals, CONNACK properties, disconnects.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConnectError } from '../../src/session/errors.js'
import { Session } from '../../src/session/session.js'
import { frame, Peer, str, utf8 } from './peer.js'

const MQTT4 = `${str('MQTT')} 04`
const MQTT5 = `${str('MQTT')} 05`

describe('CONNECT (3.1.1)', () => {
  test('[3.1.1: MQTT-3.1.0-1, MQTT-3.1.3-3, MQTT-3.1.3-4, MQTT-3.14.4-1, MQTT-3.14.4-2] 01-con-discon-success: CONNECT first, then DISCONNECT and close', () => {
    const peer = new Peer({ clientId: '01-con-discon-success', protocolVersion: 4 }).open()
    peer.expect(frame(0x10, MQTT4, '02 00 3c', str('01-con-discon-success')))
    assert.equal(peer.session.state, 'connecting')
    peer.send('20 02 00 00')
    const [connected] = peer.take('connected')
    assert.equal(connected?.sessionPresent, false)
    assert.equal(peer.session.state, 'connected')
    peer.session.disconnect(peer.now)
    peer.expect('e0 00')
    assert.deepEqual(peer.types(), ['close'])
    assert.equal(peer.session.state, 'disconnecting')
    // Nothing more goes out on that connection.
    peer.session.publish({ topic: 'a', payload: utf8('x'), qos: 0, retain: false }, peer.now)
    peer.expectNothing()
  })

  test('[3.1.1: MQTT-3.1.2-9, MQTT-3.1.3-1, MQTT-3.1.3-10] 01-will-set: will topic, message, QoS 1 and retain in CONNECT', () => {
    const will = {
      topic: 'topic/on/unexpected/disconnect',
      payload: utf8('will message'),
      qos: 1 as const,
      retain: true,
    }
    const peer = new Peer({ clientId: '01-will-set', protocolVersion: 4, will }).open()
    peer.expect(frame(0x10, MQTT4, '2e 00 3c', str('01-will-set'), str(will.topic), str('will message')))
  })

  test('[3.1.1: MQTT-3.1.2-11, MQTT-3.1.2-13, MQTT-3.1.2-15, MQTT-3.1.2-18, MQTT-3.1.2-20] no will, no user name, no password: flags 0 and no fields', () => {
    const peer = new Peer({ clientId: 'c', protocolVersion: 4 }).open()
    peer.expect(frame(0x10, MQTT4, '02 00 3c', str('c')))
  })

  test('[3.1.1: MQTT-3.1.2-19, MQTT-3.1.2-21, MQTT-3.1.3-11] 01-unpwd-set: user name and password follow the client id', () => {
    const peer = new Peer({
      clientId: '01-unpwd-set',
      protocolVersion: 4,
      username: 'uname',
      password: utf8(";'[08gn=#"),
    })
    peer.open().expect(frame(0x10, MQTT4, 'c2 00 3c', str('01-unpwd-set'), str('uname'), str(";'[08gn=#")))
  })

  test('[3.1.1: MQTT-3.1.2-22] a password without a user name is refused at construction in 3.1.1 and 3.1', () => {
    for (const protocolVersion of [3, 4] as const) {
      assert.throws(() => new Session({ clientId: 'c', protocolVersion, password: utf8('p') }), {
        code: 'ERR_INVALID_ARGUMENT',
      })
    }
    // MQTT 5 allows it.
    const peer = new Peer({ clientId: 'c', protocolVersion: 5, password: utf8('p') }).open()
    peer.expect(frame(0x10, MQTT5, '42 00 3c 00', str('c'), str('p')))
  })

  test('01-no-clean-session: Clean Session 0 when clean is false', () => {
    const peer = new Peer({ clientId: '01-no-clean-session', protocolVersion: 4, clean: false }).open()
    peer.expect(frame(0x10, MQTT4, '00 00 3c', str('01-no-clean-session')))
  })

  test('[3.1.1: MQTT-3.1.3-7] 01-zero-length-clientid: an empty client id with clean session; refused without it', () => {
    const peer = new Peer({ clientId: '', protocolVersion: 4 }).open()
    peer.expect(frame(0x10, MQTT4, '02 00 3c', '00 00'))
    assert.throws(() => new Session({ clientId: '', protocolVersion: 4, clean: false }), {
      code: 'ERR_INVALID_ARGUMENT',
    })
    assert.throws(() => new Session({ clientId: '', protocolVersion: 3 }), { code: 'ERR_INVALID_ARGUMENT' })
  })

  test('MQTT 3.1 CONNECT uses MQIsdp level 3', () => {
    const peer = new Peer({ clientId: 'c', protocolVersion: 3 }).open()
    peer.expect(frame(0x10, str('MQIsdp'), '03 02 00 3c', str('c')))
  })

  test('reconnections use cleanOnReconnect; by default a kept session is resumed', () => {
    const peer = new Peer({ clientId: 'c', protocolVersion: 4, clean: true, cleanOnReconnect: false }).connect()
    peer.drop().open()
    peer.expect(frame(0x10, MQTT4, '00 00 3c', str('c')))
    const v5 = new Peer({ clientId: 'c', clean: true, properties: { sessionExpiryInterval: 60 } }).connect()
    v5.drop().open()
    v5.expect(frame(0x10, MQTT5, '00 00 3c 05 11 00 00 00 3c', str('c')))
    const plain = new Peer({ clientId: 'c', protocolVersion: 4 }).connect()
    plain.drop().open()
    plain.expect(frame(0x10, MQTT4, '02 00 3c', str('c')))
  })
})

describe('CONNECT (5.0)', () => {
  test('[MQTT-3.1.2-1] [MQTT-3.1.2-9] [MQTT-3.1.3-1] [MQTT-3.1.3-11] [MQTT-3.1.3-12] [MQTT-3.1.2-17] [MQTT-3.1.2-19] properties, will properties, user name and password in order', () => {
    const will = {
      topic: 'w',
      payload: utf8('bye'),
      qos: 0 as const,
      retain: false,
      properties: { willDelayInterval: 5 },
    }
    const peer = new Peer({
      clientId: 'c',
      keepalive: 10,
      username: 'u',
      password: utf8('p'),
      will,
      properties: { sessionExpiryInterval: 30, receiveMaximum: 5 },
    })
    peer.open()
    peer.expect(
      frame(
        0x10,
        MQTT5,
        'c6 00 0a',
        '08 11 00 00 00 1e 21 00 05',
        str('c'),
        '05 18 00 00 00 05',
        str('w'),
        str('bye'),
        str('u'),
        str('p'),
      ),
    )
  })

  test('[MQTT-3.1.2-16] [MQTT-3.1.2-18] [MQTT-3.1.2-11] [MQTT-3.1.2-12] [MQTT-3.1.2-13] [MQTT-3.1.3-3] [MQTT-3.1.3-4] [MQTT-2.2.2-1] minimal CONNECT: empty property length, no optional fields', () => {
    new Peer({ clientId: 'id' }).open().expect(frame(0x10, MQTT5, '02 00 3c 00', str('id')))
    assert.throws(
      () => new Session({ clientId: 'c', will: { topic: 'a/#', payload: utf8(''), qos: 0, retain: false } }),
      {
        code: 'ERR_TOPIC_NAME',
      },
    )
    assert.throws(
      () => new Session({ clientId: 'c', will: { topic: 'a', payload: utf8(''), qos: 3 as 0, retain: false } }),
      {
        code: 'ERR_INVALID_ARGUMENT',
      },
    )
  })

  test('[MQTT-3.1.3-2] an empty client id adopts the Assigned Client Identifier and reuses it', () => {
    const peer = new Peer({ clientId: '', properties: { sessionExpiryInterval: 100 } })
    peer.connect({}, { assignedClientIdentifier: 'auto-123' })
    assert.equal(peer.session.clientId, 'auto-123')
    peer.drop().open()
    peer.expect(frame(0x10, MQTT5, '00 00 3c 05 11 00 00 00 64', str('auto-123')))
  })

  test('connected carries the CONNACK with its properties (server reference, response information, user properties)', () => {
    const peer = new Peer()
    peer.open().written()
    const properties = {
      responseInformation: 'r/',
      serverReference: 'other',
      reasonString: 'hi',
      userProperties: [['k', 'v']] as [string, string][],
    }
    peer.send({ type: 'connack', sessionPresent: false, reasonCode: 0, properties })
    const [event] = peer.take('connected')
    assert.deepEqual(event?.connack.properties, properties)
  })
})

describe('version fallback', () => {
  test('5 -> 4 on CONNACK 0x84, then 4 -> 3 on return code 1; the decoder follows', () => {
    const peer = new Peer({ clientId: 'c' }).open()
    peer.written()
    peer.send('20 03 00 84 00')
    assert.deepEqual(peer.events(), [{ type: 'version-fallback', protocolVersion: 4 }, { type: 'close' }])
    assert.equal(peer.session.protocolVersion, 4)
    peer.drop().open()
    peer.expect(frame(0x10, MQTT4, '02 00 3c', str('c')))
    peer.send('20 02 00 01')
    assert.deepEqual(peer.events(), [{ type: 'version-fallback', protocolVersion: 3 }, { type: 'close' }])
    peer.drop().open()
    peer.expect(frame(0x10, str('MQIsdp'), '03 02 00 3c', str('c')))
    peer.send('20 02 00 00')
    assert.equal(peer.take('connected').length, 1)
  })

  test('a 3.1.1-only server answering MQTT 5 with a 2-byte CONNACK return code 1 triggers the fallback', () => {
    const peer = new Peer({ clientId: 'c' }).open()
    peer.written()
    peer.send('20 02 00 01')
    assert.deepEqual(peer.events(), [{ type: 'version-fallback', protocolVersion: 4 }, { type: 'close' }])
  })

  test('a pinned version does not fall back: connect-failed, fatal', () => {
    const peer = new Peer({ clientId: 'c', protocolVersion: 5 }).open()
    peer.written()
    peer.send('20 03 00 84 00')
    const [failed] = peer.take('connect-failed')
    assert.equal(failed?.error.code, 'ERR_CONNECT_REFUSED')
    assert.equal(failed?.error.reasonCode, 0x84)
    assert.equal(failed?.fatal, true)
    assert.equal(peer.take('close').length, 1)
  })
})

describe('CONNACK refusals', () => {
  const cases: [number, boolean][] = [
    [0x86, true],
    [0x87, true],
    [0x8a, true],
    [0x8c, true],
    [0x85, true],
    [0x89, false],
    [0x88, false],
    [0x9c, false],
    [0x9d, false],
  ]
  for (const [code, fatal] of cases) {
    test(`[MQTT-4.13.2-1] v5 reason 0x${code.toString(16)} is ${fatal ? 'fatal' : 'retryable'} and closes`, () => {
      const peer = new Peer().open()
      peer.written()
      peer.send(frame(0x20, '00', code.toString(16), '00'))
      const events = peer.events()
      assert.deepEqual(
        events.map((e) => e.type),
        ['connect-failed', 'close'],
      )
      const failed = events[0] as Extract<(typeof events)[0], { type: 'connect-failed' }>
      assert.equal(failed.error.code, 'ERR_CONNECT_REFUSED')
      assert.equal(failed.error.reasonCode, code)
      assert.equal(failed.fatal, fatal)
      assert.equal(peer.session.state, 'disconnecting')
    })
  }

  test('3.1.1 return codes map to MQTT 5 reason codes; the raw code is kept', () => {
    const map: [number, number, boolean][] = [
      [2, 0x85, true],
      [3, 0x88, false],
      [4, 0x86, true],
      [5, 0x87, true],
    ]
    for (const [returnCode, reason, fatal] of map) {
      const peer = new Peer({ protocolVersion: 4 }).open()
      peer.written()
      peer.send(frame(0x20, '00', `0${returnCode}`))
      const [failed] = peer.take('connect-failed')
      assert.ok(failed?.error instanceof ConnectError)
      assert.equal(failed.error.reasonCode, reason)
      assert.equal(failed.error.returnCode, returnCode)
      assert.equal(failed.fatal, fatal)
    }
  })

  test('the connection closing before CONNACK reports connect-failed (not fatal)', () => {
    const peer = new Peer().open()
    peer.drop()
    const [failed] = peer.take('connect-failed')
    assert.equal(failed?.error.code, 'ERR_CONNECTION_LOST')
    assert.equal(failed?.fatal, false)
  })
})

describe('server DISCONNECT and client DISCONNECT', () => {
  test('a server DISCONNECT with reason code and properties is reported, then close', () => {
    const peer = new Peer().connect()
    peer.send({ type: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'bye' } })
    const events = peer.events()
    assert.deepEqual(events[0], { type: 'server-disconnect', reasonCode: 0x8b, properties: { reasonString: 'bye' } })
    assert.equal(events[1]?.type, 'close')
    assert.equal((events[1] as { error: { code: string } }).error.code, 'ERR_SERVER_DISCONNECT')
  })

  test('the reason-code-only form (1 byte) and the empty body (= 0)', () => {
    const a = new Peer().connect().send('e0 01 8e')
    assert.deepEqual(a.take('server-disconnect'), [{ type: 'server-disconnect', reasonCode: 0x8e }])
    const b = new Peer().connect().send('e0 00')
    assert.deepEqual(b.take('server-disconnect'), [{ type: 'server-disconnect', reasonCode: 0 }])
  })

  test('[MQTT-3.14.2-1] client DISCONNECT with reason 0x04 (with will) and a new session expiry', () => {
    const peer = new Peer({ properties: { sessionExpiryInterval: 10 } }).connect()
    peer.session.disconnect(peer.now, { reasonCode: 0x04, properties: { sessionExpiryInterval: 0 } })
    peer.expect('e0 07 04 05 11 00 00 00 00')
  })

  test('a non-zero session expiry in DISCONNECT after 0 in CONNECT is refused [MQTT-3.14.2-2 is the server side]', () => {
    const peer = new Peer().connect()
    assert.throws(() => peer.session.disconnect(peer.now, { properties: { sessionExpiryInterval: 5 } }), {
      code: 'ERR_INVALID_ARGUMENT',
    })
    assert.throws(() => peer.session.disconnect(peer.now, { reasonCode: 0x05 }), { code: 'ERR_INVALID_ARGUMENT' })
  })

  test('[MQTT-3.14.2-3] [MQTT-3.14.4-1] a DISCONNECT too large for the server drops its reason string, then user properties', () => {
    const peer = new Peer().connect({}, { maximumPacketSize: 11 })
    peer.session.disconnect(peer.now, {
      reasonCode: 0,
      properties: { reasonString: 'a long reason string', userProperties: [['k', 'v']] },
    })
    // Without the reason string: 11 bytes, just within the limit.
    peer.expect(`e0 09 00 07 26 ${str('k')} ${str('v')}`)
    peer.session.publish({ topic: 'a', payload: utf8(''), qos: 0, retain: false }, peer.now)
    peer.expectNothing()
  })
})
