// More QoS 1/2 messages outstanding than there are packet ids: the ones past 65,535 wait without an id and
// get one as they enter the in-flight window; no id is ever in flight twice [MQTT-2.2.1-3].
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Decoder } from '../../src/packet/decode.js'
import type { QoS } from '../../src/packet/types.js'
import type { SessionEvent } from '../../src/session/api.js'
import { MemorySessionStore, type StoredOutgoing } from '../../src/session/store.js'
import { Peer, utf8 } from './peer.js'

const msg = (qos: QoS = 1) => ({ topic: 'a', payload: utf8('m'), qos, retain: false })

/** The packet ids of the PUBLISHes the session wrote since the last call. */
function publishedIds(peer: Peer, decoder: Decoder): number[] {
  const ids: number[] = []
  for (const chunk of peer.session.takeOutgoing()) {
    for (const packet of decoder.push(chunk)) if (packet.type === 'publish') ids.push(packet.packetId!)
  }
  return ids
}

function puback(packetId: number): Uint8Array {
  return new Uint8Array([0x40, 0x02, packetId >> 8, packetId & 0xff])
}

test('[MQTT-2.2.1-3] 100,000 QoS 1 publishes queued at once all complete; ids past 65,535 come as the window frees', () => {
  const count = 100_000
  const peer = new Peer({ protocolVersion: 4, maxInflight: 65_535 }).connect() // the whole id space in flight
  const decoder = new Decoder({ protocolVersion: 4 })
  const idAtPublish = new Map<number, number | undefined>()
  for (let i = 0; i < count; i++) {
    const { token, packetId } = peer.session.publish(msg(), peer.now)
    idAtPublish.set(token, packetId)
  }
  const withId = [...idAtPublish.values()].filter((id) => id !== undefined).length
  assert.equal(withId, 65_535)

  const inFlight = new Set<number>()
  const assigned = new Map<number, number>()
  const done = new Map<number, number | undefined>()
  const drain = () => {
    for (const event of peer.session.takeEvents()) {
      if (event.type === 'publish-id') assigned.set(event.token, event.packetId)
      else if (event.type === 'publish-done') done.set(event.token, event.packetId)
      else assert.fail(`unexpected ${JSON.stringify(event)}`)
    }
  }
  let rounds = 0
  while (done.size < count) {
    assert.ok(++rounds < 1000, 'no progress')
    const ids = publishedIds(peer, decoder)
    for (const id of ids) {
      assert.ok(!inFlight.has(id), `packet id ${id} written while still in flight`)
      inFlight.add(id)
    }
    drain()
    // Ack in batches of 10,000 so that later publishes wait for ids.
    for (const id of [...inFlight].slice(0, 10_000)) {
      inFlight.delete(id)
      peer.session.receive(puback(id), peer.now)
    }
    drain()
  }
  assert.equal(assigned.size, count - 65_535)
  for (const [token, id] of idAtPublish) {
    const finalId = id ?? assigned.get(token)
    assert.ok(finalId !== undefined && finalId >= 1 && finalId <= 65_535)
    assert.equal(done.get(token), finalId, `publish-done of token ${token} carries its id`)
  }
  assert.deepEqual(peer.session.stats(), {
    queued: 0,
    queuedBytes: 0,
    inflight: 0,
    sent: count,
    acked: count,
    dropped: 0,
  })
})

test('a freed id goes to the oldest waiting message, not to a newer publish (no starvation)', () => {
  const peer = new Peer({ protocolVersion: 4, maxInflight: 65_535 }).connect({}, undefined)
  const decoder = new Decoder({ protocolVersion: 4 })
  for (let i = 0; i < 65_535; i++) peer.session.publish(msg(), peer.now)
  publishedIds(peer, decoder)
  const waiting = peer.session.publish(msg(2), peer.now)
  assert.equal(waiting.packetId, undefined)
  peer.session.receive(puback(7), peer.now)
  // An id is free again, but an older message waits for it: the new one queues without an id too.
  const newer = peer.session.publish(msg(), peer.now)
  assert.equal(newer.packetId, undefined)
  assert.deepEqual(publishedIds(peer, decoder), [7])
  const events = peer.session.takeEvents().filter((e) => e.type !== 'publish-done')
  assert.deepEqual(events, [{ type: 'publish-id', token: waiting.token, packetId: 7 }])
  // A SUBSCRIBE needs an id too: while all are in use it is refused at once.
  assert.throws(() => peer.session.subscribe([{ topic: 't', qos: 0 }], undefined, peer.now), {
    code: 'ERR_PACKET_ID_EXHAUSTED',
  })
  peer.session.receive(puback(8), peer.now)
  assert.deepEqual(publishedIds(peer, decoder), [8])
  assert.deepEqual(
    peer.session.takeEvents().filter((e) => e.type === 'publish-id'),
    [{ type: 'publish-id', token: newer.token, packetId: 8 }],
  )
})

test('offline: messages past 65,535 queue without an id; the store learns the id before the PUBLISH is written', () => {
  const puts: StoredOutgoing[] = []
  const store = Object.assign(new MemorySessionStore(), {
    putOutgoing: (message: StoredOutgoing) => {
      puts.push({ ...message })
    },
  })
  const peer = new Peer({ protocolVersion: 4, store, maxInflight: 10 })
  for (let i = 0; i < 65_536; i++) peer.session.publish(msg(), peer.now)
  const last = puts[puts.length - 1]!
  assert.equal(last.packetId, undefined)
  assert.equal(puts.length, 65_536)
  peer.connect()
  const decoder = new Decoder({ protocolVersion: 4 })
  assert.equal(publishedIds(peer, decoder).length, 10)
  // Acks free ids 1..10: the window moves on and, once the queue reaches it, the last message gets an id.
  let events: SessionEvent[] = []
  for (let next = 1; events.every((e) => e.type !== 'publish-id'); next++) {
    peer.session.receive(puback(next), peer.now)
    publishedIds(peer, decoder)
    events = peer.session.takeEvents()
  }
  const assigned = events.find((e) => e.type === 'publish-id')!
  const reput = puts[puts.length - 1]!
  assert.equal(reput.seq, last.seq)
  assert.equal(reput.packetId, assigned.type === 'publish-id' ? assigned.packetId : -1)
})
