// mqtt+srv:// and mqtts+srv:// URLs: parsed into an SRV address, dialled through srvConnector with the
// `srvResolver` option (here an injected resolver pointing at the embedded broker).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startBroker } from '../../src/broker/index.js'
import { connect, type MqttError } from '../../src/index.js'
import { parseBrokerUrl } from '../../src/transport/url.js'

test('SRV URLs name a domain, TLS for mqtts+srv; a port or path is an invalid URL', () => {
  assert.deepEqual(parseBrokerUrl('mqtt+srv://Example.com'), { kind: 'srv', tls: false, domain: 'example.com' })
  assert.deepEqual(parseBrokerUrl('mqtts+srv://u:p@example.com/'), {
    kind: 'srv',
    tls: true,
    domain: 'example.com',
    username: 'u',
    password: 'p',
  })
  for (const bad of ['mqtt+srv://example.com:1883', 'mqtt+srv://example.com/x'])
    assert.throws(
      () => parseBrokerUrl(bad),
      (error: MqttError) => error.code === 'ERR_INVALID_URL',
    )
})

test('mqtt+srv:// looks up _mqtt._tcp.<domain> and connects to a target', async (t) => {
  const broker = await startBroker({ port: 0 })
  t.after(() => broker.close())
  const looked: string[] = []
  const client = await connect('mqtt+srv://example.test', {
    reconnect: false,
    srvResolver: async (name) => {
      looked.push(name)
      return [{ name: '127.0.0.1', port: broker.port, priority: 0, weight: 0 }]
    },
  })
  t.after(() => client.close())
  // Every attempt resolves again (the embedded broker speaks 3.1.1: the MQTT 5 attempt falls back, a second lookup).
  assert.ok(looked.length > 0 && looked.every((name) => name === '_mqtt._tcp.example.test'), looked.join())
  assert.equal(broker.aedes.connectedClients, 1)
})

test('mqtts+srv:// looks up _secure-mqtt._tcp.<domain>', async () => {
  const looked: string[] = []
  await assert.rejects(
    connect('mqtts+srv://example.test', {
      reconnect: false,
      srvResolver: async (name) => {
        looked.push(name)
        return []
      },
    }),
    (error: MqttError) => error.code === 'ERR_DNS',
  )
  assert.deepEqual(looked, ['_secure-mqtt._tcp.example.test'])
})
