// $SYS: the broker's own statistics topics reach a client that subscribes to them explicitly, and never a
// client whose filter starts with a wildcard [MQTT-4.7.2-1]. Mosquitto keeps $SYS/broker/version retained;
// the embedded broker (Aedes) announces each new client on $SYS/<broker id>/new/clients.
import assert from 'node:assert/strict'
import { describeEachTarget } from './brokers.js'
import { barrier, openClient, openWithInbox, uniqueClientId, uniqueName } from './harness.js'

describeEachTarget((target) => {
  const options = (label: string) => ({ protocolVersion: target.version, clientId: uniqueClientId(label) })

  target.test('$SYS - an explicit $SYS subscription receives the broker topics; # does not', async (t, broker) => {
    const everything = await openWithInbox(t, broker.url, options('all'))
    await everything.client.subscribe('#', { qos: 0 })
    const sys = await openWithInbox(t, broker.url, options('sys'))
    const filter = target.kind.name === 'mosquitto' ? '$SYS/broker/version' : '$SYS/+/new/clients'
    await sys.client.subscribe(filter, { qos: 0 })
    // Aedes publishes on $SYS when a client connects; Mosquitto's version topic is retained.
    if (target.kind.name === 'embedded') await openClient(t, broker.url, options('newcomer'))
    const [first] = await sys.inbox.waitForCount(1)
    assert.ok(first!.topic.startsWith('$SYS/'), first!.topic)
    if (target.kind.name === 'mosquitto') assert.match(new TextDecoder().decode(first!.payload), /mosquitto/i)

    const marker = uniqueName('sys-marker')
    await barrier(sys.client, everything.inbox, marker)
    const leaked = everything.inbox.messages.filter((m) => m.topic.startsWith('$'))
    assert.deepEqual(
      leaked.map((m) => m.topic),
      [],
      "'#' matches no topic starting with $",
    )
  })
})
