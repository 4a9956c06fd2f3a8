// The broker restarted under a connected client: the client notices, reconnects with backoff, subscribes
// again (the restarted broker has no session), and delivers what was published while it was offline.
import assert from 'node:assert/strict'
import { type ConnectEvent, createClient } from '../../src/index.js'
import { describeEachTarget } from './brokers.js'
import { closeAfter, Inbox, nextEvent, text, uniqueClientId, uniqueName, within } from './harness.js'

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
