// The broker restarted under a connected client: the client notices, reconnects with backoff, subscribes
// again (the restarted broker has no session), and delivers what was published while it was offline. And a
// Mosquitto with persistence keeps a persistent session, with its queued messages, across a restart.
import assert from 'node:assert/strict'
import { type ConnectEvent, createClient } from '../../src/index.js'
import { describeEachTarget, mosquittoFor, mosquittoTest } from './brokers.js'
import {
  closeAfter,
  Inbox,
  nextEvent,
  openClient,
  openWithInbox,
  text,
  uniqueClientId,
  uniqueName,
  within,
} from './harness.js'

describeEachTarget(
  (target) => {
    target.test(
      'broker restart - reconnects, resubscribes, delivers the publishes queued meanwhile',
      async (t, broker) => {
        const topic = uniqueName('restart')
        const client = createClient(broker.url, {
          protocolVersion: target.version,
          clientId: uniqueClientId('restart'),
          // A first retry well after the 'offline' event: the publishes below are certainly made offline.
          reconnect: { minDelay: 300, maxDelay: 1_000 },
          connectTimeout: 5_000,
        })
        closeAfter(t, client)
        const inbox = new Inbox(client)
        await within('the first CONNACK', client.connect())
        await client.subscribe(topic, { qos: 2 })

        const offline = nextEvent(client, 'offline')
        const reconnected = nextEvent<ConnectEvent>(client, 'connect', 15_000)
        const restarted = broker.restart()
        await offline
        const queued = [
          client.publish(topic, 'queued 1', { qos: 1 }),
          client.publish(topic, 'queued 2', { qos: 1 }),
          client.publish(topic, 'queued 3', { qos: 2 }),
        ]
        await within('the broker restart', restarted, 15_000)
        const connack = await reconnected
        assert.equal(connack.reconnected, true)
        assert.equal(connack.sessionPresent, false, 'the restarted broker kept no session')
        await within('the queued publishes to complete after the reconnect', Promise.all(queued))
        await inbox.waitForCount(3)
        assert.deepEqual(inbox.texts.sort(), ['queued 1', 'queued 2', 'queued 3'], 'delivered once each')
        // Order is kept per topic and QoS [MQTT-4.6.0-6]; QoS 1 and QoS 2 flows may interleave.
        assert.deepEqual(
          inbox.messages.filter((m) => m.qos === 1).map((m) => text(m.payload)),
          ['queued 1', 'queued 2'],
        )
      },
    )
  },
  undefined,
  (kind) => [kind.versions[kind.versions.length - 1]!],
)

mosquittoTest('broker restart - a persistent session and its queued QoS 1/2 survive a Mosquitto restart', async (t) => {
  const broker = await mosquittoFor(t, { persistence: true })
  const topic = uniqueName('durable')
  const session = {
    protocolVersion: 5 as const,
    clientId: uniqueClientId('durable'),
    clean: false,
    sessionExpiryInterval: 300,
  }
  const first = await openClient(t, broker.url, session)
  await first.subscribe(topic, { qos: 2 })
  await first.disconnect()
  const publisher = await openClient(t, broker.url, { protocolVersion: 5, clientId: uniqueClientId('pub') })
  await publisher.publish(topic, 'queued at QoS 1', { qos: 1 })
  await publisher.publish(topic, 'queued at QoS 2', { qos: 2 })
  await publisher.disconnect()

  await within('the Mosquitto restart', broker.restart(), 15_000)
  const back = await openWithInbox(t, broker.url, session)
  assert.equal(back.connack.sessionPresent, true, 'the session was saved to disk and restored')
  await back.inbox.waitForCount(2)
  assert.deepEqual(back.inbox.texts.sort(), ['queued at QoS 1', 'queued at QoS 2'])
})
