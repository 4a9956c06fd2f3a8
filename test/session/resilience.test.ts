// mqtt_as-style resilience in the session, on the fake clock: ping interval, the response timeout as a
// probe, and the offline queue's limits (count, bytes) with their overflow policies and counters.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { OutgoingMessage } from '../../src/session/api.js'
import { Peer, utf8 } from './peer.js'

function msg(topic: string, qos: 0 | 1 | 2, payload = 'x'): OutgoingMessage {
  return { topic, payload: utf8(payload), qos, retain: false }
}

describe('ping interval and response timeout', () => {
  test('pingInterval shorter than the keepalive: PINGREQ after pingInterval of idleness', () => {
    const peer = new Peer({ keepalive: 60, pingInterval: 5000 }).connect()
    assert.equal(peer.session.nextDeadline(), peer.now + 5000)
    peer.advance(4999).expectNothing()
    peer.advance(1).expect('c0 00')
  })

  test('pingInterval longer than the keepalive changes nothing', () => {
    const peer = new Peer({ keepalive: 4, pingInterval: 10_000 }).connect()
    peer.advance(4000).expect('c0 00')
  })

  test('pingInterval with keepalive 0 still pings', () => {
    const peer = new Peer({ keepalive: 0, pingInterval: 2000 }).connect()
    peer.advance(2000).expect('c0 00')
  })

  test('an unanswered PUBLISH with nothing received for responseTimeout: a PINGREQ probe, then ERR_KEEPALIVE_TIMEOUT', () => {
    const peer = new Peer({ protocolVersion: 4, keepalive: 60, responseTimeout: 1000 }).connect()
    peer.session.publish(msg('a', 1), peer.now)
    peer.written()
    peer.advance(999).expectNothing()
    peer.advance(1).expect('c0 00')
    peer.advance(999)
    assert.deepEqual(peer.types(), [])
    peer.advance(1)
    peer.expectFailure('ERR_KEEPALIVE_TIMEOUT')
  })

  test('a slow server that answers the probe keeps the connection; the ack ends the wait', () => {
    const peer = new Peer({ protocolVersion: 4, keepalive: 60, responseTimeout: 1000 }).connect()
    peer.session.publish(msg('a', 1), peer.now)
    peer.written()
    peer.advance(1000).expect('c0 00')
    peer.advance(500).send('d0 00')
    peer.advance(1000).expect('c0 00') // still waiting for the PUBACK: probe again
    peer.advance(10).send('d0 00', '40 02 00 01')
    assert.equal(peer.take('publish-done').length, 1)
    // Nothing awaited any more: the next PINGREQ is the keepalive's.
    assert.equal(peer.session.nextDeadline(), peer.now - 10 + 60_000)
  })

  test('bytes arriving renew the wait (a busy server streaming to us)', () => {
    const peer = new Peer({ protocolVersion: 4, keepalive: 60, responseTimeout: 1000 }).connect()
    peer.session.publish(msg('a', 1), peer.now)
    peer.written()
    for (let i = 0; i < 5; i++) peer.advance(900).send('30 03 00 01 62')
    peer.expectNothing()
    peer.advance(1000).expect('c0 00')
  })

  test('an unanswered SUBSCRIBE also triggers the probe', () => {
    const peer = new Peer({ protocolVersion: 4, keepalive: 60, responseTimeout: 1000 }).connect()
    peer.session.subscribe([{ topic: 'a', qos: 1 }], undefined, peer.now)
    peer.written()
    peer.advance(1000).expect('c0 00')
  })
})

describe('offline queue limits', () => {
  test('maxQueuedBytes rejects with ERR_QUEUE_FULL by default; stats count the queue', () => {
    const peer = new Peer({ maxQueuedBytes: 10 })
    peer.session.publish(msg('ab', 1, '1234'), peer.now) // 6 bytes
    assert.throws(() => peer.session.publish(msg('ab', 1, '12345'), peer.now), { code: 'ERR_QUEUE_FULL' })
    peer.session.publish(msg('ab', 0, '12'), peer.now) // 4 more: 10
    assert.deepEqual(peer.session.stats(), { queued: 2, queuedBytes: 10, inflight: 0, sent: 0, acked: 0, dropped: 0 })
  })

  test("'drop-oldest' fails the oldest queued message with ERR_DROPPED and frees its packet id", () => {
    const peer = new Peer({ protocolVersion: 4, maxQueued: 2, queueOverflow: 'drop-oldest' })
    const first = peer.session.publish(msg('a', 1), peer.now)
    peer.session.publish(msg('b', 1), peer.now)
    peer.session.publish(msg('c', 2), peer.now)
    const failed = peer.take('publish-failed')
    assert.equal(failed.length, 1)
    assert.equal(failed[0]?.token, first.token)
    assert.equal(failed[0]?.error.code, 'ERR_DROPPED')
    assert.equal(peer.session.stats().dropped, 1)
    assert.equal(peer.session.stats().queued, 2)
    peer.connect()
    const out = peer.written()
    assert.ok(out.startsWith('32'), 'b goes first') // b is QoS 1 (0x32), c QoS 2 (0x34)
    assert.match(out, / 34 /)
    assert.doesNotMatch(out, /00 01 61/) // no PUBLISH for topic 'a'
  })

  test("'drop-oldest' never drops a message that was already sent (re-queued with DUP after a reconnect)", () => {
    const peer = new Peer({ properties: { sessionExpiryInterval: 60 }, maxQueued: 1, queueOverflow: 'drop-oldest' })
    peer.connect()
    peer.session.publish(msg('a', 2), peer.now)
    peer.session.publish(msg('b', 2), peer.now)
    peer.written()
    // The server now lets one message in flight: 'a' goes again, 'b' waits in the queue with DUP set.
    peer.drop().connect({ sessionPresent: true }, { receiveMaximum: 1 })
    peer.written()
    assert.equal(peer.session.stats().queued, 1)
    // 'b' is not droppable (the server may hold its packet id), so the new message is the one dropped.
    assert.throws(() => peer.session.publish(msg('c', 1), peer.now), { code: 'ERR_DROPPED' })
    assert.deepEqual(peer.take('publish-failed'), [])
  })

  test("'drop-newest' fails the new message with ERR_DROPPED and counts it", () => {
    const peer = new Peer({ maxQueued: 1, queueOverflow: 'drop-newest' })
    peer.session.publish(msg('a', 1), peer.now)
    assert.throws(() => peer.session.publish(msg('b', 1), peer.now), { code: 'ERR_DROPPED' })
    assert.equal(peer.session.stats().dropped, 1)
  })

  test('sent and acked count PUBLISH packets and completed flows', () => {
    const peer = new Peer({ protocolVersion: 4, clean: false }).connect()
    peer.session.publish(msg('a', 1), peer.now)
    peer.session.publish(msg('b', 0), peer.now)
    peer.written()
    peer.drop().connect({ sessionPresent: true })
    peer.written()
    peer.send('40 02 00 01')
    const stats = peer.session.stats()
    assert.equal(stats.sent, 3) // a, b, a again (DUP)
    assert.equal(stats.acked, 1)
    assert.equal(stats.inflight, 0)
  })
})
