// The Client with more QoS 1 publishes outstanding than there are packet ids, against the embedded broker:
// every one completes, and a handle queued without an id reads the id it got once it entered the window.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startBroker } from '../../src/broker/index.js'
import { connect, type PublishHandle } from '../../src/index.js'

test('[MQTT-2.2.1-3] 100,000 QoS 1 publishes started at once all complete; late ids show on their handles', async (t) => {
  const broker = await startBroker({ port: 0 })
  t.after(() => broker.close())
  const client = await connect(broker.url, { protocolVersion: 4, clientId: 'id-overflow', reconnect: false })
  t.after(() => client.close())
  const count = 100_000
  const payload = new Uint8Array(8)
  const handles: PublishHandle[] = []
  for (let i = 0; i < count; i++) handles.push(client.publish('overflow/test', payload, { qos: 1 }))
  const lateHandles = handles.filter((handle) => handle.packetId === undefined)
  assert.equal(lateHandles.length, count - 65_535)
  const results = await Promise.all(handles)
  assert.equal(results.length, count)
  for (const [i, handle] of handles.entries()) {
    assert.equal(handle.status, 'done')
    assert.ok(handle.packetId !== undefined && handle.packetId >= 1 && handle.packetId <= 65_535)
    assert.equal(results[i]!.packetId, handle.packetId)
  }
  assert.equal(client.stats.acked, count)
  await client.disconnect()
})
