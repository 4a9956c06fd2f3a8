// A client over a file store: messages it accepted survive close() (its handles reject with ERR_CLOSED) and
// the next client opened on the store sends them; a publish the store refuses is rejected and never sent;
// close() after the store was closed does not throw; a store belongs to one client id.
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import { type Client, connect, createClient } from '../../src/index.js'
import { createFileStore } from '../../src/store/index.js'
import { storeDir } from './helpers.js'

/** A local port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Resolves with the first `count` payloads the client receives (as text). */
function receive(client: Client, count: number): Promise<string[]> {
  const got: string[] = []
  return new Promise((resolve) => {
    client.on('message', (m) => {
      got.push(new TextDecoder().decode(m.payload))
      if (got.length === count) resolve(got)
    })
  })
}

describe('file store under a client', () => {
  let broker: EmbeddedBroker
  let subscriber: Client
  before(async () => {
    broker = await startBroker({ port: 0 })
    subscriber = await connect(broker.url, { clientId: 'close-subscriber', protocolVersion: 4 })
    await subscriber.subscribe('durable/#', { qos: 1 })
  })
  after(async () => {
    await subscriber.close()
    await broker.close()
  })

  test('messages published to an unreachable broker survive close(); the next client on the store sends them', async () => {
    const dir = storeDir()
    const url = `mqtt://127.0.0.1:${await deadPort()}`
    const first = createFileStore(dir)
    const offline = createClient(url, { clientId: 'durable-1', store: first, reconnect: false, connectTimeout: 2000 })
    const handles = [1, 2, 3].map((i) => offline.publish(`durable/${i}`, `m${i}`, { qos: 1 }).promise)
    await assert.rejects(offline.connect(), { code: 'ERR_CONNECT' })
    await offline.close()
    for (const handle of handles) await assert.rejects(handle, { code: 'ERR_CLOSED' })
    assert.equal(first.stats().outgoing, 3)
    first.close()

    const received = receive(subscriber, 3)
    const second = createFileStore(dir)
    const online = await connect(broker.url, { clientId: 'durable-1', store: second })
    assert.deepEqual((await received).sort(), ['m1', 'm2', 'm3'])
    await waitFor(() => second.stats().outgoing === 0)
    await online.disconnect()
    second.close()
  })

  test('a publish the store refuses (ERR_STORE_FULL) rejects and is never sent', async () => {
    const store = createFileStore(storeDir(), { maxBytes: 300 })
    const client = await connect(broker.url, { clientId: 'durable-full', store })
    const received = receive(subscriber, 1)
    const refused = client.publish('durable/full', 'x'.repeat(400), { qos: 1 }).promise
    await assert.rejects(refused, { name: 'StoreError', code: 'ERR_STORE_FULL' })
    await client.publish('durable/small', 'fits', { qos: 1 })
    assert.deepEqual(await received, ['fits'], 'the refused message was not sent before the next one')
    await client.disconnect()
    store.close()
  })

  test('close() after the store was closed does not throw', async () => {
    const store = createFileStore(storeDir())
    const client = await connect(broker.url, { clientId: 'durable-closed-store', store })
    store.close()
    await assert.doesNotReject(client.close())
  })

  test('a store of another client id: an explicit id is ERR_STORE_CLIENT_ID; no id adopts the stored one', () => {
    const dir = storeDir()
    const store = createFileStore(dir)
    store.setClientId('meter-17')
    assert.throws(() => createClient(broker.url, { clientId: 'meter-18', store }), { code: 'ERR_STORE_CLIENT_ID' })
    const client = createClient(broker.url, { store })
    assert.equal(client.clientId, 'meter-17')
    client.close()
    store.close()
  })
})

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  assert.ok(condition())
}
