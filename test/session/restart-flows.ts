// One restart script for every SessionStore test: before the restart a subscription, three outgoing flows
// left at different steps and an incoming QoS 2 flow past PUBREC; after it, each of them finishes.
import assert from 'node:assert/strict'
import type { SessionOptions } from '../../src/session/api.js'
import { frame, Peer, raw, str, utf8 } from './peer.js'

export const RESTART_OPTIONS = { clientId: 'durable', protocolVersion: 4, clean: false } as const

/** Connects a session on `options` (with its store) and leaves every kind of flow half done. */
export function startFlows(options: Partial<SessionOptions>): Peer {
  const before = new Peer({ ...RESTART_OPTIONS, ...options }).connect()
  before.session.subscribe([{ topic: 's/#', qos: 1 }], undefined, before.now)
  before.written()
  before.send('90 03 00 01 01')
  before.session.publish({ topic: 'one', payload: utf8('1'), qos: 1, retain: false }, before.now)
  before.session.publish({ topic: 'two', payload: utf8('2'), qos: 2, retain: false }, before.now)
  before.session.publish({ topic: 'three', payload: utf8('3'), qos: 2, retain: false }, before.now)
  before.written()
  before.send('50 02 00 04').expect('62 02 00 04')
  before.send(frame(0x34, str('in'), '00 09', raw('x'))).expect('50 02 00 09')
  return before
}

/** A new session on `options` (the process restarted) resumes and finishes every flow startFlows left. */
export function finishFlows(options: Partial<SessionOptions>): Peer {
  const after = new Peer({ ...RESTART_OPTIONS, ...options })
  assert.deepEqual(after.session.subscriptions(), [{ topic: 's/#', qos: 1 }])
  after.connect({ sessionPresent: true })
  // [MQTT-4.4.0-1]: PUBREL for the flow past PUBREC, the unacknowledged PUBLISHes again with DUP = 1.
  after.expect('62 02 00 04', frame(0x3a, str('one'), '00 02', raw('1')), frame(0x3c, str('two'), '00 03', raw('2')))
  after.send(frame(0x3c, str('in'), '00 09', raw('x'))).expect('50 02 00 09')
  assert.equal(
    after.take('message').length,
    0,
    'the QoS 2 message acknowledged before the restart is not delivered again',
  )
  after.send('62 02 00 09').expect('70 02 00 09')
  after.send('40 02 00 02', '50 02 00 03').expect('62 02 00 03')
  after.send('70 02 00 03', '70 02 00 04')
  assert.equal(after.take('publish-done').length, 3)
  return after
}
