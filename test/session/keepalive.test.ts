// Keepalive on the fake clock: PINGREQ when either direction is idle, the response timeout, Server Keep Alive.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Peer, utf8 } from './peer.js'

describe('keepalive', () => {
  test('[3.1.1: MQTT-3.1.2-23] 01-keepalive-pingreq: PINGREQ after keepalive seconds of silence, again after PINGRESP', () => {
    const peer = new Peer({ protocolVersion: 4, keepalive: 4 }).connect()
    assert.equal(peer.session.nextDeadline(), peer.now + 4000)
    peer.advance(3999).expectNothing()
    peer.advance(1).expect('c0 00')
    peer.advance(50).send('d0 00')
    assert.deepEqual(peer.take('pong'), [{ type: 'pong', roundTripMs: 50 }])
    // The PINGREQ itself was the last packet sent: the next one is due keepalive seconds after it.
    peer.advance(3949).expectNothing()
    peer.advance(1).expect('c0 00')
  })

  test('sending alone does not postpone the PINGREQ when nothing is received (min of both directions)', () => {
    const peer = new Peer({ keepalive: 10 }).connect()
    for (let i = 0; i < 9; i++) {
      peer.advance(1000)
      peer.session.publish({ topic: 'a', payload: utf8('x'), qos: 0, retain: false }, peer.now)
    }
    peer.written()
    peer.advance(1000).expect('c0 00')
  })

  test('no PINGRESP within the response timeout: error ERR_KEEPALIVE_TIMEOUT, then close', () => {
    const peer = new Peer({ keepalive: 10, responseTimeout: 2000 }).connect()
    peer.advance(10_000).expect('c0 00')
    assert.equal(peer.session.nextDeadline(), peer.now + 2000)
    peer.advance(1999)
    assert.deepEqual(peer.types(), [])
    peer.advance(1)
    peer.expectFailure('ERR_KEEPALIVE_TIMEOUT')
    assert.equal(peer.session.nextDeadline(), undefined)
  })

  test('the default response timeout is half the keepalive, at most 30 s', () => {
    const peer = new Peer({ keepalive: 10 }).connect()
    peer.advance(10_000).expect('c0 00')
    assert.equal(peer.session.nextDeadline(), peer.now + 5000)
    const long = new Peer({ keepalive: 600 }).connect()
    long.advance(600_000).expect('c0 00')
    assert.equal(long.session.nextDeadline(), long.now + 30_000)
  })

  test('[MQTT-3.1.2-21] [MQTT-3.2.2-21] Server Keep Alive replaces the requested keepalive', () => {
    const peer = new Peer({ keepalive: 60 }).connect({}, { serverKeepAlive: 5 })
    peer.advance(5000).expect('c0 00')
  })

  test('keepalive 0 schedules nothing; offline schedules nothing', () => {
    const peer = new Peer({ keepalive: 0 }).connect()
    assert.equal(peer.session.nextDeadline(), undefined)
    peer.advance(1_000_000).expectNothing()
    assert.equal(new Peer().session.nextDeadline(), undefined)
  })
})
