// The session over the real file store: what a session writes through survives a restart of the process
// (simulated: the store is closed without the session being told, then a new session opens the directory).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createFileStore } from '../../src/store/index.js'
import { Peer } from '../session/peer.js'
import { finishFlows, startFlows } from '../session/restart-flows.js'
import { storeDir } from './helpers.js'

describe('file store under a session', () => {
  test('[3.1.1: MQTT-4.4.0-1, MQTT-4.3.3-2, MQTT-4.1.0-1] a new session on the same directory finishes every flow', () => {
    const dir = storeDir()
    const first = createFileStore(dir)
    startFlows({ store: first })
    first.close() // the process dies here

    const second = createFileStore(dir)
    finishFlows({ store: second })
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
