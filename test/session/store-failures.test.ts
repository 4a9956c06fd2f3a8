// A store that refuses a write (full, disk error) never leaves the session's memory ahead of it: a refused
// publish is not queued, a refused state change drops the connection (error + close, nothing thrown), and the
// next connection carries on from what the store holds. Also: abandon() forgets in memory only, a stored
// session belongs to one client id, and PUBLISH properties before MQTT 5 are ignored.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PersistedSession, SessionStore, StoredOutgoing } from '../../src/session/store.js'
import { StoreError } from '../../src/store/errors.js'
import { frame, Peer, raw, str, utf8 } from './peer.js'

type StoreMethod = Exclude<keyof SessionStore, 'load'>

/** Keeps copies like a durable store; the methods named in `failing` throw ERR_STORE_IO. */
class FlakyStore implements SessionStore {
  readonly failing = new Set<StoreMethod>()
  clientId = ''
  readonly outgoing = new Map<number, StoredOutgoing>()
  readonly incoming = new Set<number>()

  load(): PersistedSession | undefined {
    if (this.clientId === '') return undefined
    const outgoing = [...this.outgoing.values()].map((m) => structuredClone(m))
    return { clientId: this.clientId, outgoing, incomingQos2: [...this.incoming], subscriptions: [] }
  }
  setClientId(clientId: string): void {
    this.check('setClientId')
    this.clientId = clientId
  }
  putOutgoing(message: StoredOutgoing): void {
    this.check('putOutgoing')
    this.outgoing.set(message.seq, structuredClone(message))
  }
  updateOutgoing(message: StoredOutgoing): void {
    this.check('updateOutgoing')
    this.outgoing.set(message.seq, structuredClone(message))
  }
  removeOutgoing(seq: number): void {
    this.check('removeOutgoing')
    this.outgoing.delete(seq)
  }
  addIncomingQos2(packetId: number): void {
    this.check('addIncomingQos2')
    this.incoming.add(packetId)
  }
  removeIncomingQos2(packetId: number): void {
    this.check('removeIncomingQos2')
    this.incoming.delete(packetId)
  }
  clearIncoming(): void {
    this.check('clearIncoming')
    this.incoming.clear()
  }
  putSubscription(): void {}
  removeSubscription(): void {}
  private check(method: StoreMethod): void {
    if (this.failing.has(method)) throw new StoreError('ERR_STORE_IO', `${method}: disk full`)
  }
}

const V4 = { clientId: 'c', protocolVersion: 4 as const, clean: false }
const msg = (topic: string, qos: 0 | 1 | 2 = 1) => ({ topic, payload: utf8(topic), qos, retain: false })
const states = (store: FlakyStore) => [...store.outgoing.values()].map((m) => [m.topic, m.state, m.dup])

/** The session reported the store's error and asked to close, without throwing. */
function assertClosedBy(peer: Peer, code: string): void {
  assert.deepEqual(
    peer.take('error').map((e) => e.error.code),
    [code],
  )
  assert.equal(peer.take('close').length, 1)
  assert.equal(peer.session.state, 'disconnecting')
}

describe('store failures', () => {
  test('a publish the store refuses is not queued, not sent, and its packet id is free again', () => {
    const store = new FlakyStore()
    const peer = new Peer({ ...V4, store })
    for (let i = 1; i < 65_535; i++) peer.session.publish(msg('t'), peer.now) // ids 1..65,534
    store.failing.add('putOutgoing')
    assert.throws(() => peer.session.publish(msg('refused'), peer.now), { code: 'ERR_STORE_IO' })
    assert.throws(() => peer.session.publish(msg('refused too', 0), peer.now), { code: 'ERR_STORE_IO' })
    assert.equal(peer.session.stats().queued, 65_534)
    store.failing.clear()
    // The refused message's id (the last free one) was released: the next message gets it at once.
    assert.equal(peer.session.publish(msg('kept'), peer.now).packetId, 65_535)
    assert.equal(store.outgoing.size, 65_535)
    assert.ok(![...store.outgoing.values()].some((m) => m.topic.startsWith('refused')))
  })

  test('a refused state change while sending drops the connection; the message goes again afterwards', () => {
    const store = new FlakyStore()
    const peer = new Peer({ ...V4, store }).connect()
    store.failing.add('updateOutgoing')
    const { token } = peer.session.publish(msg('a'), peer.now) // stored; marking it sent fails
    peer.expectNothing()
    assertClosedBy(peer, 'ERR_STORE_IO')
    assert.deepEqual(states(store), [['a', 'queued', false]])
    store.failing.clear()
    peer.drop().connect({ sessionPresent: true })
    // Never written: DUP = 0 [MQTT-3.3.1-1].
    peer.expect(frame(0x32, str('a'), '00 01', raw('a')))
    peer.send('40 02 00 01')
    assert.deepEqual(
      peer.take('publish-done').map((e) => e.token),
      [token],
    )
    assert.equal(store.outgoing.size, 0)
  })

  test('a PUBACK whose removal the store refuses is not reported; the message is re-sent and completes', () => {
    const store = new FlakyStore()
    const peer = new Peer({ ...V4, store }).connect()
    peer.session.publish(msg('a'), peer.now)
    peer.written()
    store.failing.add('removeOutgoing')
    assert.doesNotThrow(() => peer.send('40 02 00 01'))
    assertClosedBy(peer, 'ERR_STORE_IO')
    assert.equal(peer.take('publish-done').length, 0)
    assert.deepEqual(states(store), [['a', 'sent', false]])
    store.failing.clear()
    peer.drop().connect({ sessionPresent: true })
    peer.expect(frame(0x3a, str('a'), '00 01', raw('a')))
    peer.send('40 02 00 01')
    assert.equal(peer.take('publish-done').length, 1)
    assert.equal(store.outgoing.size, 0)
  })

  test('a refused PUBREC state change keeps the message before PUBREL in memory and in the store', () => {
    const store = new FlakyStore()
    const peer = new Peer({ ...V4, store }).connect()
    peer.session.publish(msg('q2', 2), peer.now)
    peer.written()
    store.failing.add('updateOutgoing')
    peer.send('50 02 00 01').expectNothing() // no PUBREL: the store still says 'sent'
    assertClosedBy(peer, 'ERR_STORE_IO')
    store.failing.clear()
    peer.drop().connect({ sessionPresent: true })
    peer.expect(frame(0x3c, str('q2'), '00 01', raw('q2')))
    peer.send('50 02 00 01').expect('62 02 00 01')
    peer.send('70 02 00 01')
    assert.equal(peer.take('publish-done').length, 1)
  })

  test('incoming QoS 2: a refused PUBREC record sends no PUBREC; the re-sent PUBLISH is not delivered twice', () => {
    const store = new FlakyStore()
    const peer = new Peer({ ...V4, store }).connect()
    store.failing.add('addIncomingQos2')
    peer.send(frame(0x34, str('in'), '00 07', raw('x'))).expectNothing()
    assert.equal(peer.take('message').length, 1)
    assertClosedBy(peer, 'ERR_STORE_IO')
    store.failing.clear()
    peer.drop().connect({ sessionPresent: true })
    peer.expect('50 02 00 07')
    peer.send(frame(0x3c, str('in'), '00 07', raw('x'))).expect('50 02 00 07')
    assert.equal(peer.take('message').length, 0)
    assert.deepEqual([...store.incoming], [7])
    store.failing.add('removeIncomingQos2')
    peer.send('62 02 00 07').expectNothing() // no PUBCOMP until the store forgot the id
    assertClosedBy(peer, 'ERR_STORE_IO')
    store.failing.clear()
    peer.drop().connect({ sessionPresent: true })
    peer.send('62 02 00 07').expect('70 02 00 07')
    assert.equal(store.incoming.size, 0)
  })

  test('a refused clearIncoming at CONNACK closes the connection instead of throwing', () => {
    const store = new FlakyStore()
    const peer = new Peer({ ...V4, store })
    store.failing.add('clearIncoming')
    peer.open().written()
    assert.doesNotThrow(() => peer.send('20 02 00 00'))
    assertClosedBy(peer, 'ERR_STORE_IO')
  })

  test('abandon() fails the pending publishes but leaves them in the store for the next session', () => {
    const store = new FlakyStore()
    const peer = new Peer({ ...V4, store }).connect()
    peer.session.publish(msg('in-flight'), peer.now)
    peer.written()
    peer.drop()
    peer.session.publish(msg('queued', 2), peer.now)
    store.failing.add('removeOutgoing') // abandon must not touch the store at all
    peer.session.abandon(new StoreError('ERR_STORE_CLOSED', 'closed'))
    assert.equal(peer.take('publish-failed').length, 2)
    assert.equal(peer.session.stats().queued, 0)
    store.failing.clear()
    assert.deepEqual(states(store), [
      ['in-flight', 'sent', false],
      ['queued', 'queued', false],
    ])
    const next = new Peer({ ...V4, store }).connect({ sessionPresent: true })
    next.expect(
      frame(0x3a, str('in-flight'), '00 01', raw('in-flight')),
      frame(0x34, str('queued'), '00 02', raw('queued')),
    )
  })
})

describe('a stored session and its client id', () => {
  const stored = () => {
    const store = new FlakyStore()
    store.setClientId('meter-17')
    return store
  }

  test('a different client id given by the user is ERR_STORE_CLIENT_ID', () => {
    assert.throws(() => new Peer({ clientId: 'other', store: stored() }), {
      name: 'SessionError',
      code: 'ERR_STORE_CLIENT_ID',
    })
  })

  test('the same id, a generated one, or an empty one (server-assigned) opens the stored session', () => {
    assert.equal(new Peer({ clientId: 'meter-17', store: stored() }).session.clientId, 'meter-17')
    assert.equal(
      new Peer({ clientId: 'petrel-0a0b0c0d', clientIdGenerated: true, store: stored() }).session.clientId,
      'meter-17',
    )
    assert.equal(new Peer({ clientId: '', store: stored() }).session.clientId, 'meter-17')
  })
})

describe('PUBLISH properties before MQTT 5', () => {
  test('are ignored: not checked, not stored, not sent', () => {
    const store = new FlakyStore()
    const peer = new Peer({ ...V4, store }).connect()
    const properties = {
      subscriptionIdentifier: 5,
      responseTopic: 'a/#',
      userProperties: [['k', 'v']] as [string, string][],
    }
    peer.session.publish({ ...msg('p'), properties }, peer.now)
    peer.expect(frame(0x32, str('p'), '00 01', raw('p')))
    assert.equal([...store.outgoing.values()][0]?.properties, undefined)
  })

  test('in MQTT 5 the same properties are checked', () => {
    const peer = new Peer({ clientId: 'c', protocolVersion: 5 }).connect()
    assert.throws(() => peer.session.publish({ ...msg('p'), properties: { subscriptionIdentifier: 5 } }, peer.now), {
      code: 'ERR_INVALID_ARGUMENT',
    })
  })
})
