// The connection cut at every step of the QoS 1 and QoS 2 flows, in both directions, against a scripted
// server (exact placement: the server drops the socket right after the packet in question). After the
// reconnect the session must resume each flow as the spec says [MQTT-4.4.0-1]: unacknowledged PUBLISHes
// again with DUP = 1 and the same id, PUBREL again after PUBREC; incoming QoS 2 delivered exactly once.
import assert from 'node:assert/strict'
import { describe, type TestContext, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Client, connect, type Message } from '../../src/index.js'
import type { Packet, ProtocolVersion } from '../../src/packet/types.js'
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

for (const version of [4, 5] as const) {
  describe(`cut at every step, MQTT ${version === 5 ? '5' : '3.1.1'}`, () => {
    test('QoS 1 out: cut after PUBLISH → the same id again with DUP = 1, resolved once by PUBACK', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const handle = client.publish('t/1', 'a', { qos: 1 })
      const publish = await first.next('publish')
      assert.equal(publish.dup, false)
      const second = await reconnect(first)
      const again = await nextPacket(second)
      assert.equal(again.type, 'publish')
      assert.equal((again as typeof publish).packetId, publish.packetId)
      assert.equal((again as typeof publish).dup, true)
      second.send({ type: 'puback', packetId: publish.packetId! })
      const result = await handle
      assert.equal(result.packetId, publish.packetId)
    })

    test('QoS 1 out: cut right after PUBACK → resolved, nothing re-sent', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const handle = client.publish('t/1', 'a', { qos: 1 })
      const publish = await first.next('publish')
      first.send({ type: 'puback', packetId: publish.packetId! })
      await handle
      const second = await reconnect(first)
      client.publish('t/1', 'b', { qos: 0 })
      const next = (await nextPacket(second)) as typeof publish
      assert.equal(next.type, 'publish')
      assert.equal(new TextDecoder().decode(next.payload), 'b')
    })

    test('QoS 2 out: cut after PUBLISH → PUBLISH again (DUP = 1, same id), then the whole flow', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const handle = client.publish('t/2', 'a', { qos: 2 })
      const publish = await first.next('publish')
      const second = await reconnect(first)
      const again = (await nextPacket(second)) as typeof publish
      assert.equal(again.type, 'publish')
      assert.equal(again.packetId, publish.packetId)
      assert.equal(again.dup, true)
      second.send({ type: 'pubrec', packetId: publish.packetId! })
      assert.equal((await second.next('pubrel')).packetId, publish.packetId)
      second.send({ type: 'pubcomp', packetId: publish.packetId! })
      await handle
    })

    test('QoS 2 out: cut after PUBREC → PUBREL (not PUBLISH) on the new connection [MQTT-4.4.0-1] [3.1.1: MQTT-4.4.0-1]', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const handle = client.publish('t/2', 'a', { qos: 2 })
      const publish = await first.next('publish')
      first.send({ type: 'pubrec', packetId: publish.packetId! })
      await first.next('pubrel')
      const second = await reconnect(first)
      const again = await nextPacket(second)
      assert.equal(again.type, 'pubrel')
      assert.equal((again as { packetId: number }).packetId, publish.packetId)
      second.send({ type: 'pubcomp', packetId: publish.packetId! })
      await handle
    })

    test('QoS 2 out: cut after PUBREL reached the server → PUBREL again, PUBCOMP resolves', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const handle = client.publish('t/2', 'a', { qos: 2 })
      const publish = await first.next('publish')
      first.send({ type: 'pubrec', packetId: publish.packetId! })
      await first.next('pubrel')
      const second = await reconnect(first)
      assert.equal((await nextPacket(second)).type, 'pubrel')
      // Cut again before answering: the PUBREL keeps coming until a PUBCOMP.
      const third = await reconnect(second)
      assert.equal((await nextPacket(third)).type, 'pubrel')
      third.send({ type: 'pubcomp', packetId: publish.packetId! })
      await handle
    })

    test('QoS 2 out: cut right after PUBCOMP → resolved, nothing re-sent', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const handle = client.publish('t/2', 'a', { qos: 2 })
      const publish = await first.next('publish')
      first.send({ type: 'pubrec', packetId: publish.packetId! })
      await first.next('pubrel')
      first.send({ type: 'pubcomp', packetId: publish.packetId! })
      await handle
      const second = await reconnect(first)
      client.publish('t/2', 'b', { qos: 0 })
      const next = (await nextPacket(second)) as typeof publish
      assert.equal(next.type, 'publish')
      assert.equal(new TextDecoder().decode(next.payload), 'b')
    })

    test('QoS 1/2 out, the server lost the session: published anew (DUP = 0); past PUBREC counts as delivered', async (t) => {
      const { client, first, reconnect } = await rig(t, version)
      const one = client.publish('t/1', 'a', { qos: 1 })
      const two = client.publish('t/2', 'b', { qos: 2 })
      const released = client.publish('t/2', 'c', { qos: 2 })
      await first.next('publish')
      await first.next('publish')
      const third = await first.next('publish')
      first.send({ type: 'pubrec', packetId: third.packetId! })
      await first.next('pubrel')
      const second = await reconnect(first, false)
      await released // the server had taken ownership at PUBREC [MQTT-4.3.3]
      const a = (await nextPacket(second)) as typeof third
      const b = (await nextPacket(second)) as typeof third
      assert.deepEqual([a.type, a.dup, b.type, b.dup], ['publish', false, 'publish', false])
      second.send({ type: 'puback', packetId: a.packetId! })
      second.send({ type: 'pubrec', packetId: b.packetId! })
      await second.next('pubrel')
      second.send({ type: 'pubcomp', packetId: b.packetId! })
      await Promise.all([one, two])
    })

    test('QoS 1 in: cut after the server’s PUBLISH → re-sent with DUP = 1, acked again (at least once)', async (t) => {
      const { first, received, reconnect } = await rig(t, version)
      first.send({
        type: 'publish',
        topic: 'in/1',
        payload: utf8.encode('x'),
        qos: 1,
        retain: false,
        dup: false,
        packetId: 7,
      })
      assert.equal((await first.next('puback')).packetId, 7)
      const second = await reconnect(first)
      second.send({
        type: 'publish',
        topic: 'in/1',
        payload: utf8.encode('x'),
        qos: 1,
        retain: false,
        dup: true,
        packetId: 7,
      })
      assert.equal((await second.next('puback')).packetId, 7)
      assert.ok(received.length >= 1)
    })

    test('QoS 2 in: cut after the server’s PUBLISH → the DUP PUBLISH gets PUBREC but is not delivered again', async (t) => {
      const { first, received, reconnect } = await rig(t, version)
      const publish = {
        type: 'publish',
        topic: 'in/2',
        payload: utf8.encode('x'),
        qos: 2,
        retain: false,
        dup: false,
        packetId: 9,
      } as const
      first.send(publish)
      await first.next('pubrec')
      const second = await reconnect(first)
      second.send({ ...publish, dup: true })
      assert.equal((await second.next('pubrec')).packetId, 9)
      second.send({ type: 'pubrel', packetId: 9 })
      assert.equal((await second.next('pubcomp')).packetId, 9)
      assert.equal(received.length, 1)
    })

    test('QoS 2 in: cut after our PUBREC was lost (cut before it left) → still exactly once', async (t) => {
      const { first, received, reconnect } = await rig(t, version)
      const publish = {
        type: 'publish',
        topic: 'in/2',
        payload: utf8.encode('x'),
        qos: 2,
        retain: false,
        dup: false,
        packetId: 3,
      } as const
      // The socket closes in the same turn as the PUBLISH arrives: our PUBREC never leaves.
      first.send(publish)
      first.destroy()
      const second = await reconnect(first)
      second.send({ ...publish, dup: true })
      await second.next('pubrec')
      second.send({ type: 'pubrel', packetId: 3 })
      await second.next('pubcomp')
      assert.equal(received.length, 1)
    })

    test('QoS 2 in: cut after the server’s PUBREL → PUBREL again gets PUBCOMP; delivered once', async (t) => {
      const { first, received, reconnect } = await rig(t, version)
      first.send({
        type: 'publish',
        topic: 'in/2',
        payload: utf8.encode('x'),
        qos: 2,
        retain: false,
        dup: false,
        packetId: 5,
      })
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
      first.send({
        type: 'publish',
        topic: 'in/2',
        payload: utf8.encode('x'),
        qos: 2,
        retain: false,
        dup: false,
        packetId: 6,
      })
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
