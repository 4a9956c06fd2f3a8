// The session over the real file store: what a session writes through survives a restart of the process
// (simulated: the store is closed without the session being told, then a new session opens the directory).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createFileStore } from '../../src/store/index.js'
import { frame, Peer, raw, str, utf8 } from '../session/peer.js'
import { storeDir } from './helpers.js'

describe('file store under a session', () => {
  test('[3.1.1: MQTT-4.4.0-1, MQTT-4.3.3-2, MQTT-4.1.0-1] a new session on the same directory finishes every flow', () => {
    const dir = storeDir()
    const first = createFileStore(dir)
    const options = { clientId: 'durable', protocolVersion: 4 as const, clean: false }
    const before = new Peer({ ...options, store: first }).connect()
    before.session.subscribe([{ topic: 's/#', qos: 1 }], undefined, before.now)
    before.written()
    before.send('90 03 00 01 01')
    before.session.publish({ topic: 'one', payload: utf8('1'), qos: 1, retain: false }, before.now)
    before.session.publish({ topic: 'two', payload: utf8('2'), qos: 2, retain: false }, before.now)
    before.session.publish({ topic: 'three', payload: utf8('3'), qos: 2, retain: false }, before.now)
    before.written()
    before.send('50 02 00 04').expect('62 02 00 04')
    before.send(frame(0x34, str('in'), '00 09', raw('x'))).expect('50 02 00 09')
    first.close() // the process dies here

    const second = createFileStore(dir)
    const after = new Peer({ ...options, store: second })
    assert.deepEqual(after.session.subscriptions(), [{ topic: 's/#', qos: 1 }])
    after.connect({ sessionPresent: true })
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
    assert.deepEqual(second.load(), {
      clientId: 'durable',
      outgoing: [],
      incomingQos2: [],
      subscriptions: [{ topic: 's/#', qos: 1 }],
    })
    second.close()
  })

  test('a server-assigned client id is kept for the next run', () => {
    const dir = storeDir()
    const first = createFileStore(dir)
    new Peer({ clientId: '', protocolVersion: 5, clean: false, store: first }).connect(
      {},
      { assignedClientIdentifier: 'assigned-7' },
    )
    first.close()
    const second = createFileStore(dir)
    assert.equal(new Peer({ clientId: '', protocolVersion: 5, store: second }).session.clientId, 'assigned-7')
    second.close()
  })
})
