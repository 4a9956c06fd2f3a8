// enableBridgeMode(): the CONNECT bridge bit in MQTT 3.1 / 3.1.1 (protocol level 0x83 / 0x84), No Local +
// Retain As Published in MQTT 5; and what Mosquitto does with a 3.1.1 bridge (no echo, retain as published).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createClient } from '../../src/client/create.js'
import type { ProtocolVersion } from '../../src/packet/types.js'
import { Client, type MQTTMessage, MQTTv5, MQTTv31, MQTTv311 } from '../../src/paho/index.js'
import { startFakeServer } from '../client/fake-server.js'
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from '../support/mosquitto.js'

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('enableBridgeMode on the wire', () => {
  for (const [protocol, version] of [
    [MQTTv31, 3],
    [MQTTv311, 4],
  ] as const) {
    test(`protocol ${version}: CONNECT carries the bridge bit; without bridge mode it does not`, async () => {
      const server = await startFakeServer()
      try {
        for (const bridge of [true, false]) {
          const client = new Client({ protocol, clientId: 'bridge-wire' })
          if (bridge) client.enableBridgeMode()
          const connected = client.connect('127.0.0.1', server.port)
          const connect = await (await server.nextConnection()).accept()
          await connected
          assert.equal(connect.protocolVersion, version)
          assert.equal(connect.bridge, bridge ? true : undefined)
          await client.disconnect()
        }
      } finally {
        await server.close()
      }
    })
  }

  test('MQTT 5: no bridge bit, subscriptions default to No Local and Retain As Published', async () => {
    const server = await startFakeServer()
    try {
      const client = new Client({ protocol: MQTTv5, clientId: 'bridge-five' })
      client.enableBridgeMode()
      const connected = client.connect('127.0.0.1', server.port)
      const connection = await server.nextConnection()
      const connect = await connection.accept()
      await connected
      assert.equal(connect.bridge, undefined)
      client.subscribe('a/#', 1)
      const subscribe = await connection.next('subscribe')
      assert.deepEqual(
        subscribe.subscriptions.map((s) => [s.topic, s.noLocal, s.retainAsPublished]),
        [['a/#', true, true]],
      )
      await client.disconnect()
    } finally {
      await server.close()
    }
  })

  test('Client option bridge: the bit is sent at 3.1.1, not at MQTT 5', async () => {
    const server = await startFakeServer()
    try {
      for (const protocolVersion of [4, 5] as ProtocolVersion[]) {
        const client = createClient(server.url, { protocolVersion, bridge: true, reconnect: false })
        const connected = client.connect()
        const connect = await (await server.nextConnection()).accept()
        await connected
        assert.equal(connect.bridge, protocolVersion === 5 ? undefined : true)
        await client.disconnect()
      }
    } finally {
      await server.close()
    }
  })
})

describe('a 3.1.1 bridge client on Mosquitto', () => {
  let mosquitto: RunningMosquitto | undefined
  before(async () => {
    if (mosquittoAvailable() !== undefined) mosquitto = await startMosquitto()
  })
  after(() => mosquitto?.stop())

  test('gets none of its own publishes back, and others with their retain flag', async (t) => {
    if (mosquitto === undefined) {
      console.log('SKIPPED: mosquitto not installed')
      return t.skip()
    }
    const bridge = new Client({ protocol: MQTTv311, clientId: 'paho-bridge' })
    bridge.enableBridgeMode()
    const plain = new Client({ protocol: MQTTv311, clientId: 'paho-plain' })
    const got: Record<string, MQTTMessage[]> = { bridge: [], plain: [] }
    bridge.onMessage = (_c, _u, message) => got.bridge!.push(message)
    plain.onMessage = (_c, _u, message) => got.plain!.push(message)
    const subscribed: string[] = []
    for (const [name, client] of [
      ['bridge', bridge],
      ['plain', plain],
    ] as const) {
      client.onSubscribe = () => subscribed.push(name)
      await client.connect('127.0.0.1', mosquitto.port)
      client.subscribe('br/#', 1)
    }
    await until(() => subscribed.length === 2, 'SUBACKs')
    assert.match(mosquitto.log(), /New bridge connected .* as paho-bridge/)

    // Mosquitto routes the message to every subscriber before its PUBACK, so an echo would come first.
    await bridge.publish('br/own', 'from the bridge', 1).waitForPublish(2)
    await plain.publish('br/other', 'from a client', 1, true).waitForPublish(2)
    await until(() => got.bridge!.length === 1 && got.plain!.length === 2, 'the messages')
    assert.deepEqual(
      got.bridge!.map((m) => [m.topic, m.retain]),
      [['br/other', true]],
    )
    // A plain client gets its own message back and the retain flag cleared [MQTT-3.3.1-9].
    assert.deepEqual(
      got.plain!.map((m) => [m.topic, m.retain]),
      [
        ['br/own', false],
        ['br/other', false],
      ],
    )
    await bridge.disconnect()
    await plain.disconnect()
  })
})
