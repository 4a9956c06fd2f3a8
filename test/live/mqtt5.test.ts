// MQTT 5 features against Mosquitto (the embedded broker speaks 3.1.1 only), after Paho's client_test5.py:
// session and message expiry, user properties, topic aliases, subscription options, request / response,
// shared subscriptions.
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { describeEachTarget, MOSQUITTO } from './brokers.js'
import { barrier, Inbox, openClient, openWithInbox, text, uniqueClientId, uniqueName } from './harness.js'

describeEachTarget(
  (target) => {
    const v5 = (label = 'v5') => ({ protocolVersion: 5 as const, clientId: uniqueClientId(label) })

    target.test(
      'session expiry - 0 ends the session at once, N keeps it N s, DISCONNECT can change it',
      async (t, broker) => {
        const clientId = uniqueClientId('expiry')
        const topic = uniqueName('expiry')
        const session = (sessionExpiryInterval: number, clean: boolean) => ({
          protocolVersion: 5 as const,
          clientId,
          clean,
          sessionExpiryInterval,
        })
        const first = await openWithInbox(t, broker.url, session(0, true))
        assert.equal(first.connack.sessionPresent, false)
        await first.client.subscribe(topic, { qos: 2 })
        await first.client.disconnect()
        const none = await openWithInbox(t, broker.url, session(0, false))
        assert.equal(none.connack.sessionPresent, false, 'session expiry 0: the session ended with the connection')
        await none.client.disconnect()

        const kept = await openWithInbox(t, broker.url, session(1, true))
        await kept.client.subscribe(topic, { qos: 2 })
        await kept.client.disconnect()
        const present = await openWithInbox(t, broker.url, session(1, false))
        assert.equal(present.connack.sessionPresent, true, 'reconnected within the expiry interval')
        // The interval may be raised on DISCONNECT (it was not 0 in CONNECT [MQTT-3.14.2-2]).
        await present.client.disconnect({ sessionExpiryInterval: 60 })
        await sleep(1_500)
        const outlived = await openWithInbox(t, broker.url, session(1, false))
        assert.equal(outlived.connack.sessionPresent, true, 'the DISCONNECT raised the interval to 60 s')
        await outlived.client.disconnect({ sessionExpiryInterval: 0 })
        const ended = await openWithInbox(t, broker.url, session(1, false))
        assert.equal(ended.connack.sessionPresent, false, 'the DISCONNECT set the interval to 0')
        await ended.client.disconnect()

        await (await openWithInbox(t, broker.url, session(1, true))).client.disconnect()
        await sleep(2_200)
        const expired = await openWithInbox(t, broker.url, session(1, false))
        assert.equal(expired.connack.sessionPresent, false, 'the session expired after 1 s offline')
      },
    )

    target.test(
      'message expiry - expired messages are not delivered; the rest carry the remaining lifetime',
      async (t, broker) => {
        const clientId = uniqueClientId('msgexp')
        const topic = uniqueName('message-expiry')
        const persistent = { protocolVersion: 5 as const, clientId, clean: false, sessionExpiryInterval: 60 }
        const offline = await openClient(t, broker.url, persistent)
        await offline.subscribe(topic, { qos: 2 })
        await offline.disconnect()

        const publisher = await openClient(t, broker.url, v5())
        for (const qos of [1, 2] as const) {
          await publisher.publish(topic, `qos ${qos} - expire`, { qos, properties: { messageExpiryInterval: 1 } })
          await publisher.publish(topic, `qos ${qos} - keep`, { qos, properties: { messageExpiryInterval: 60 } })
        }
        await sleep(2_100)
        const back = await openWithInbox(t, broker.url, persistent)
        await back.inbox.waitForCount(2)
        await back.client.subscribe(`${topic}-marker`, { qos: 1 })
        await barrier(publisher, back.inbox, `${topic}-marker`)
        assert.deepEqual(back.inbox.texts.sort(), ['qos 1 - keep', 'qos 2 - keep'])
        for (const m of back.inbox.messages) {
          const remaining = m.properties?.messageExpiryInterval as number
          assert.ok(remaining < 60 && remaining > 50, `remaining lifetime ${remaining} s [MQTT-3.3.2-6]`)
        }
      },
    )

    target.test(
      'user properties - kept in order with repeats, with payload format and content type',
      async (t, broker) => {
        const topic = uniqueName('user-properties')
        const { client, inbox } = await openWithInbox(t, broker.url, v5())
        await client.subscribe(`${topic}/#`, { qos: 2 })
        const userProperties: [string, string][] = [
          ['a', '2'],
          ['c', '3'],
          ['a', '1'],
        ]
        const properties = { userProperties, payloadFormatIndicator: true, contentType: 'My name' }
        for (const qos of [0, 1, 2] as const)
          await client.publish(`${topic}/q${qos}`, `qos ${qos}`, { qos, properties })
        await client.publish(`${topic}/retained`, 'retained', { qos: 1, retain: true, properties })
        const live = await inbox.waitForCount(4)
        const late = await openWithInbox(t, broker.url, v5())
        await late.client.subscribe(`${topic}/retained`, { qos: 1 })
        const retained = await late.inbox.waitForCount(1)
        for (const m of [...live, ...retained]) {
          assert.deepEqual(m.properties?.userProperties, userProperties, `${m.topic}: order and repeats kept`)
          assert.equal(m.properties?.payloadFormatIndicator, true)
          assert.equal(m.properties?.contentType, 'My name')
        }
        await client.publish(`${topic}/retained`, '', { qos: 1, retain: true })
      },
    )

    target.test(
      'topic aliases - repeated publishes to a long topic arrive on the full topic name',
      async (t, broker) => {
        const topic = `${uniqueName('topic-alias')}/${'x'.repeat(200)}`
        const subscriber = await openWithInbox(t, broker.url, { ...v5(), properties: { topicAliasMaximum: 10 } })
        await subscriber.client.subscribe(topic, { qos: 1 })
        const publisher = await openClient(t, broker.url, { ...v5(), autoTopicAlias: true })
        for (let i = 0; i < 5; i++) await publisher.publish(topic, `aliased ${i}`, { qos: i % 2 === 0 ? 0 : 1 })
        await publisher.publish(topic, 'explicit alias', { qos: 1, properties: { topicAlias: 1 } })
        const received = await subscriber.inbox.waitForCount(6)
        assert.deepEqual(
          received.map((m) => m.topic),
          Array.from({ length: 6 }, () => topic),
        )
        assert.deepEqual(subscriber.inbox.texts, [0, 1, 2, 3, 4].map((i) => `aliased ${i}`).concat('explicit alias'))
      },
    )

    target.test('subscription options - noLocal and retainAsPublished', async (t, broker) => {
      const topic = uniqueName('no-local')
      const a = await openWithInbox(t, broker.url, v5('a'))
      const b = await openWithInbox(t, broker.url, v5('b'))
      await a.client.subscribe(topic, { qos: 2, noLocal: true })
      await b.client.subscribe(topic, { qos: 2, noLocal: true })
      await a.client.subscribe(`${topic}-marker`, { qos: 1 })
      await a.client.publish(topic, 'noLocal test', { qos: 1 })
      await b.inbox.waitForCount(1)
      await barrier(a.client, a.inbox, `${topic}-marker`)
      assert.deepEqual(a.inbox.texts, [], 'noLocal: no copy of its own publish')

      const rapTopic = uniqueName('retain-as-published')
      const c = await openWithInbox(t, broker.url, v5('c'))
      await c.client.subscribe(rapTopic, { qos: 2, retainAsPublished: true })
      await c.client.publish(rapTopic, 'retain as published false', { qos: 1, retain: false })
      await c.client.publish(rapTopic, 'retain as published true', { qos: 1, retain: true })
      const [first, second] = await c.inbox.waitForCount(2)
      assert.equal(first!.retain, false)
      assert.equal(second!.retain, true, 'retainAsPublished keeps RETAIN on a live message')
      await c.client.publish(rapTopic, '', { qos: 1, retain: true })
    })

    target.test('subscription options - retainHandling 0, 1 and 2', async (t, broker) => {
      const prefix = uniqueName('retain-handling')
      const publisher = await openClient(t, broker.url, v5('pub'))
      for (const qos of [0, 1, 2] as const)
        await publisher.publish(`${prefix}/q${qos}`, `qos ${qos}`, { qos, retain: true })
      await publisher.publish(`${prefix}-sync`, 'sync', { qos: 1 })

      const expectRetained = async (retainHandling: 0 | 1 | 2, subscribeTwice: boolean): Promise<number[]> => {
        const { client, inbox } = await openWithInbox(t, broker.url, v5(`rh${retainHandling}`))
        await client.subscribe(`${prefix}-marker`, { qos: 1 })
        const counts: number[] = []
        for (let round = 0; round < (subscribeTwice ? 2 : 1); round++) {
          inbox.clear()
          await client.subscribe(`${prefix}/+`, { qos: 2, retainHandling })
          await barrier(publisher, inbox, `${prefix}-marker`)
          counts.push(inbox.messages.filter((m) => m.retain).length)
        }
        return counts
      }
      assert.deepEqual(await expectRetained(0, true), [3, 3], 'retainHandling 0: on every subscribe')
      assert.deepEqual(await expectRetained(1, true), [3, 0], 'retainHandling 1: only for a new subscription')
      assert.deepEqual(await expectRetained(2, true), [0, 0], 'retainHandling 2: never')
      for (const qos of [0, 1, 2] as const) await publisher.publish(`${prefix}/q${qos}`, '', { qos: 1, retain: true })
    })

    target.test(
      'request / response - response topic and correlation data reach the responder and back',
      async (t, broker) => {
        const prefix = uniqueName('request')
        const responder = await openClient(t, broker.url, v5('responder'))
        responder.on('message', (m) => {
          const { responseTopic, correlationData } = m.properties ?? {}
          if (responseTopic === undefined) return
          responder.publish(responseTopic, `re: ${text(m.payload)}`, { qos: 1, properties: { correlationData } })
        })
        await responder.subscribe(`${prefix}/requests`, { qos: 1 })
        const requester = await openWithInbox(t, broker.url, v5('requester'))
        await requester.client.subscribe(`${prefix}/responses`, { qos: 1 })
        const correlationData = new Uint8Array([1, 2, 3, 0, 255])
        await requester.client.publish(`${prefix}/requests`, 'ping', {
          qos: 1,
          properties: { responseTopic: `${prefix}/responses`, correlationData },
        })
        const [response] = await requester.inbox.waitForCount(1)
        assert.equal(text(response!.payload), 're: ping')
        assert.deepEqual(new Uint8Array(response!.properties?.correlationData as Uint8Array), correlationData)
      },
    )

    target.test(
      'shared subscriptions - $share/g/... delivers each message to one member of the group',
      async (t, broker) => {
        const topic = uniqueName('shared')
        const members = [await openWithInbox(t, broker.url, v5('m1')), await openWithInbox(t, broker.url, v5('m2'))]
        for (const member of members) await member.client.subscribe(`$share/g/${topic}`, { qos: 1 })
        await members[0]!.client.subscribe(`${topic}-marker`, { qos: 1 })
        const publisher = await openClient(t, broker.url, v5('pub'))
        for (let i = 0; i < 10; i++) await publisher.publish(topic, `m${i}`, { qos: 1 })
        const group = new Inbox(...members.map((m) => m.client))
        await group.waitForCount(10)
        await barrier(publisher, members[0]!.inbox, `${topic}-marker`)
        const all = members.flatMap((m) => m.inbox.texts).sort()
        assert.deepEqual(all, Array.from({ length: 10 }, (_, i) => `m${i}`).sort(), 'each message exactly once')
        for (const member of members) assert.ok(member.inbox.messages.length > 0, 'the group shares the load')
      },
    )

    target.test('reason codes - PUBACK 0x10 when no subscriber matched', async (t, broker) => {
      const client = await openClient(t, broker.url, v5())
      const result = await client.publish(uniqueName('nobody'), 'into the void', { qos: 1 })
      assert.equal(result.reasonCode, 0x10)
    })
  },
  [MOSQUITTO],
  () => [5],
)
