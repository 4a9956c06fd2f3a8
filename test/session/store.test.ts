// The session state as plain data behind SessionStore: a restarted client with the same store finishes
// every flow.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PersistedSession, SessionStore, StoredOutgoing, StoredSubscription } from '../../src/session/store.js'
import { frame, Peer, raw, str, utf8 } from './peer.js'
import { finishFlows, startFlows } from './restart-flows.js'

/** A store that keeps real copies (as a durable store would), round-tripped through structuredClone. */
class RecordingStore implements SessionStore {
  clientId = ''
  outgoing = new Map<number, StoredOutgoing>()
  incoming = new Set<number>()
  subs = new Map<string, StoredSubscription>()

  load(): PersistedSession | undefined {
    if (this.clientId === '') return undefined
    return structuredClone({
      clientId: this.clientId,
      outgoing: [...this.outgoing.values()],
      incomingQos2: [...this.incoming],
      subscriptions: [...this.subs.values()],
    })
  }
  setClientId(clientId: string): void {
    this.clientId = clientId
  }
  putOutgoing(message: StoredOutgoing): void {
    this.outgoing.set(message.seq, structuredClone(message))
  }
  updateOutgoing(message: StoredOutgoing): void {
    assert.ok(this.outgoing.has(message.seq))
    this.outgoing.set(message.seq, structuredClone(message))
  }
  removeOutgoing(seq: number): void {
    this.outgoing.delete(seq)
  }
  addIncomingQos2(packetId: number): void {
    this.incoming.add(packetId)
  }
  removeIncomingQos2(packetId: number): void {
    this.incoming.delete(packetId)
  }
  putSubscription(subscription: StoredSubscription): void {
    this.subs.set(subscription.topic, structuredClone(subscription))
  }
  removeSubscription(topic: string): void {
    this.subs.delete(topic)
  }
  clearIncoming(): void {
    this.incoming.clear()
  }
}

describe('session store', () => {
  test('[3.1.1: MQTT-3.1.3-2, MQTT-4.1.0-1, MQTT-4.4.0-1] a restarted client with the same store finishes every flow', () => {
    const store = new RecordingStore()
    startFlows({ store })
    assert.deepEqual(
      [...store.outgoing.values()].map((m) => [m.packetId, m.state]),
      [
        [2, 'sent'],
        [3, 'sent'],
        [4, 'released'],
      ],
    )
    assert.deepEqual([...store.incoming], [9])

    // The process dies; a new one starts from the store.
    const after = finishFlows({ store })
    assert.equal(store.outgoing.size, 0)
    assert.equal(store.incoming.size, 0)
    // Tokens continue after the restored ones; new ids avoid nothing in use.
    const next = after.session.publish({ topic: 'n', payload: utf8(''), qos: 1, retain: false }, after.now)
    assert.ok(next.token > 4)
  })

  test('a server without our session clears the stored incoming ids; unsubscribe removes a subscription', () => {
    const store = new RecordingStore()
    const peer = new Peer({ clientId: 'c', protocolVersion: 4, clean: false, store }).connect()
    peer.send(frame(0x34, str('in'), '00 01', raw('x'))).expect('50 02 00 01')
    assert.equal(store.incoming.size, 1)
    peer.drop().connect({ sessionPresent: false })
    assert.equal(store.incoming.size, 0)
    peer.session.subscribe([{ topic: 'a', qos: 0 }], undefined, peer.now)
    peer.written()
    peer.send('90 03 00 01 00')
    assert.equal(store.subs.size, 1)
    peer.session.unsubscribe(['a'], undefined, peer.now)
    peer.written()
    peer.send('b0 02 00 02')
    assert.equal(store.subs.size, 0)
  })

  test('the store receives only serialisable data (structuredClone round trip keeps it equal)', () => {
    const store = new RecordingStore()
    const peer = new Peer({ store })
    peer.session.publish(
      { topic: 'a', payload: utf8('p'), qos: 1, retain: true, properties: { userProperties: [['k', 'v']] } },
      peer.now,
    )
    const [stored] = [...store.outgoing.values()]
    assert.deepEqual(stored, {
      seq: 1,
      token: 1,
      packetId: 1,
      topic: 'a',
      payload: utf8('p'),
      qos: 1,
      retain: true,
      properties: { userProperties: [['k', 'v']] },
      state: 'queued',
      dup: false,
    })
  })
})
