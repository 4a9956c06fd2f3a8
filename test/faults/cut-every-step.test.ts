// The connection cut at every step of the QoS 1 and QoS 2 flows, in both directions, against a scripted
// server (exact placement: the server drops the socket right after the packet in question). After the
// reconnect the session must resume each flow as the spec says [MQTT-4.4.0-1]: unacknowledged PUBLISHes
// again with DUP = 1 and the same id, PUBREL again after PUBREC; incoming QoS 2 delivered exactly once.
import assert from 'node:assert/strict'
import { describe, type TestContext, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Client, connect, type Message } from '../../src/index.js'
import type { Packet, ProtocolVersion, PublishPacket } from '../../src/packet/types.js'
import { type FakeConnection, type FakeServer, startFakeServer } from '../client/fake-server.js'

const utf8 = new TextEncoder()

interface Rig {
  server: FakeServer
  client: Client
  first: FakeConnection
  received: Message[]
  /** Drops the current connection and accepts the reconnect with the session present. */
  reconnect(connection: FakeConnection, sessionPresent?: boolean): Promise<FakeConnection>
}

async function rig(t: TestContext, protocolVersion: ProtocolVersion): Promise<Rig> {
  const server = await startFakeServer()
  const connecting = connect(server.url, {
    clientId: 'cut-test',
    protocolVersion,
    clean: false,
    sessionExpiryInterval: protocolVersion === 5 ? 60 : undefined,
    reconnect: { minDelay: 5, maxDelay: 10 },
  })
  const first = await server.nextConnection()
  await first.accept()
  const client = await connecting
  const received: Message[] = []
  client.on('message', (message) => received.push(message))
  t.after(async () => {
    await client.close()
    await server.close()
  })
  return {
    server,
    client,
    first,
    received,
    async reconnect(connection, sessionPresent = true) {
      connection.destroy()
      const next = await server.nextConnection()
      const connectPacket = await next.accept({ sessionPresent })
      assert.equal(connectPacket.clean, false, 'a reconnect keeps the session')
      return next
    },
  }
}

/** The next packet the client sends that is not a PINGREQ. */
async function nextPacket(connection: FakeConnection): Promise<Packet> {
  for (;;) {
    const packet = await connection.next()
    if (packet.type !== 'pingreq') return packet
  }
}

/** A client publish and the PUBLISH packet it put on `connection`. */
async function publishOut(client: Client, connection: FakeConnection, qos: 1 | 2) {
  const handle = client.publish(`t/${qos}`, 'a', { qos })
  const publish = await connection.next('publish')
  return { handle, publish, packetId: publish.packetId as number }
}

/** Answers an outgoing QoS 2 PUBLISH with PUBREC and waits for the client's PUBREL. */
async function recAndAwaitRel(connection: FakeConnection, packetId: number) {
  connection.send({ type: 'pubrec', packetId })
  return connection.next('pubrel')
}

/** After the flow is complete nothing is re-sent: the first packet on the new connection is a fresh one. */
async function assertNothingResent(client: Client, connection: FakeConnection) {
  client.publish('t/0', 'b', { qos: 0 })
  const next = (await nextPacket(connection)) as PublishPacket
  assert.equal(next.type, 'publish')
  assert.equal(new TextDecoder().decode(next.payload), 'b')
}

/** A PUBLISH from the server, as the client would receive it. */
function serverPublish(qos: 1 | 2, packetId: number, dup = false): PublishPacket {
  return { type: 'publish', topic: `in/${qos}`, payload: utf8.encode('x'), qos, retain: false, dup, packetId }
}

for (const version of [4, 5] as const) {
  describe(`cut at every step, MQTT ${version === 5 ? '5' : '3.1.1'}`, () => {
    test('QoS 1 out: cut after PUBLISH → the same id again with DUP = 1, resolved once by PUBACK', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const { handle, publish, packetId } = await publishOut(client, first, 1)
      assert.equal(publish.dup, false)
      const second = await reconnect(first)
      const again = (await nextPacket(second)) as PublishPacket
      assert.equal(again.type, 'publish')
      assert.equal(again.packetId, packetId)
      assert.equal(again.dup, true)
      second.send({ type: 'puback', packetId })
      const result = await handle
      assert.equal(result.packetId, packetId)
    })

    test('QoS 1 out: cut right after PUBACK → resolved, nothing re-sent', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const { handle, packetId } = await publishOut(client, first, 1)
      first.send({ type: 'puback', packetId })
      await handle
      await assertNothingResent(client, await reconnect(first))
    })

    test('QoS 2 out: cut after PUBLISH → PUBLISH again (DUP = 1, same id), then the whole flow', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const { handle, packetId } = await publishOut(client, first, 2)
      const second = await reconnect(first)
      const again = (await nextPacket(second)) as PublishPacket
      assert.equal(again.type, 'publish')
      assert.equal(again.packetId, packetId)
      assert.equal(again.dup, true)
      assert.equal((await recAndAwaitRel(second, packetId)).packetId, packetId)
      second.send({ type: 'pubcomp', packetId })
      await handle
    })

    test('QoS 2 out: cut after PUBREC → PUBREL (not PUBLISH) on the new connection [MQTT-4.4.0-1] [3.1.1: MQTT-4.4.0-1]', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const { handle, packetId } = await publishOut(client, first, 2)
      await recAndAwaitRel(first, packetId)
      const second = await reconnect(first)
      const again = await nextPacket(second)
      assert.equal(again.type, 'pubrel')
      assert.equal((again as { packetId: number }).packetId, packetId)
      second.send({ type: 'pubcomp', packetId })
      await handle
    })

    test('QoS 2 out: cut after PUBREL reached the server → PUBREL again, PUBCOMP resolves', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const { handle, packetId } = await publishOut(client, first, 2)
      await recAndAwaitRel(first, packetId)
      const second = await reconnect(first)
      assert.equal((await nextPacket(second)).type, 'pubrel')
      // Cut again before answering: the PUBREL keeps coming until a PUBCOMP.
      const third = await reconnect(second)
      assert.equal((await nextPacket(third)).type, 'pubrel')
      third.send({ type: 'pubcomp', packetId })
      await handle
    })

    test('QoS 2 out: cut right after PUBCOMP → resolved, nothing re-sent', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const { handle, packetId } = await publishOut(client, first, 2)
      await recAndAwaitRel(first, packetId)
      first.send({ type: 'pubcomp', packetId })
      await handle
      await assertNothingResent(client, await reconnect(first))
    })

    test('QoS 1/2 out, the server lost the session: published anew (DUP = 0); past PUBREC counts as delivered', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const one = client.publish('t/1', 'a', { qos: 1 })
      const two = client.publish('t/2', 'b', { qos: 2 })
      const released = client.publish('t/2', 'c', { qos: 2 })
      await first.next('publish')
      await first.next('publish')
      const third = await first.next('publish')
      await recAndAwaitRel(first, third.packetId as number)
      const second = await reconnect(first, false)
      await released // the server had taken ownership at PUBREC [MQTT-4.3.3]
      const a = (await nextPacket(second)) as PublishPacket
      const b = (await nextPacket(second)) as PublishPacket
      assert.deepEqual([a.type, a.dup, b.type, b.dup], ['publish', false, 'publish', false])
      second.send({ type: 'puback', packetId: a.packetId as number })
      await recAndAwaitRel(second, b.packetId as number)
      second.send({ type: 'pubcomp', packetId: b.packetId as number })
      await Promise.all([one, two])
    })

    test('QoS 1 in: cut after the server’s PUBLISH → re-sent with DUP = 1, acked again (at least once)', async (t) => {
      const { first, received, reconnect } = await rig(t, version)
      first.send(serverPublish(1, 7))
      assert.equal((await first.next('puback')).packetId, 7)
      const second = await reconnect(first)
      second.send(serverPublish(1, 7, true))
      assert.equal((await second.next('puback')).packetId, 7)
      assert.ok(received.length >= 1)
    })

    test('QoS 2 in: cut after the server’s PUBLISH → the DUP PUBLISH gets PUBREC but is not delivered again', async (t) => {
      const { first, received, reconnect } = await rig(t, version)
      first.send(serverPublish(2, 9))
      await first.next('pubrec')
      const second = await reconnect(first)
      second.send(serverPublish(2, 9, true))
      assert.equal((await second.next('pubrec')).packetId, 9)
      second.send({ type: 'pubrel', packetId: 9 })
      assert.equal((await second.next('pubcomp')).packetId, 9)
      assert.equal(received.length, 1)
    })

    test('QoS 2 in: cut after our PUBREC was lost (cut before it left) → still exactly once', async (t) => {
      const { first, received, reconnect } = await rig(t, version)
      // The socket closes in the same turn as the PUBLISH arrives: our PUBREC never leaves.
      first.send(serverPublish(2, 3))
      first.destroy()
      const second = await reconnect(first)
      second.send(serverPublish(2, 3, true))
      await second.next('pubrec')
      second.send({ type: 'pubrel', packetId: 3 })
      await second.next('pubcomp')
      assert.equal(received.length, 1)
    })

    test('QoS 2 in: cut after the server’s PUBREL → PUBREL again gets PUBCOMP; delivered once', async (t) => {
      const { first, received, reconnect } = await rig(t, version)
      first.send(serverPublish(2, 5))
      await first.next('pubrec')
      first.send({ type: 'pubrel', packetId: 5 })
      first.destroy()
      const second = await reconnect(first)
      second.send({ type: 'pubrel', packetId: 5 })
      assert.equal((await second.next('pubcomp')).packetId, 5)
      assert.equal(received.length, 1)
    })

    test('QoS 2 in: cut after our PUBCOMP → a repeated PUBREL is answered, nothing delivered again', async (t) => {
      const { first, received, reconnect } = await rig(t, version)
      first.send(serverPublish(2, 6))
      await first.next('pubrec')
      first.send({ type: 'pubrel', packetId: 6 })
      await first.next('pubcomp')
      const second = await reconnect(first)
      second.send({ type: 'pubrel', packetId: 6 })
      const pubcomp = await second.next('pubcomp')
      assert.equal(pubcomp.packetId, 6)
      if (version === 5) assert.equal(pubcomp.reasonCode, 0x92) // Packet Identifier not found
      await sleep(20)
      assert.equal(received.length, 1)
    })
  })
}
