import assert from 'node:assert/strict'
import { describe, type TestContext, test } from 'node:test'
import mqtt from 'mqtt'
import { CLIENT_KEY_PASSPHRASE, testCertificates } from './certs.js'
import {
  mosquittoAvailable,
  mosquittoPasswordLine,
  type RunningMosquitto,
  startMosquitto,
  stopAllMosquittos,
} from './mosquitto.js'
import { echo, nextMessage, portOpen } from './mqtt-js.js'

const MOSQUITTO = mosquittoAvailable()
if (MOSQUITTO === undefined) console.warn('SKIPPED: mosquitto not installed: the Mosquitto launcher tests are skipped')

/** A test that needs Mosquitto; without it the test is marked skipped (never passed). */
function mosquittoTest(name: string, body: (t: TestContext) => Promise<void>): void {
  test(name, async (t) => {
    if (MOSQUITTO === undefined) {
      t.skip('mosquitto not installed')
      return
    }
    await body(t)
  })
}

async function started(t: TestContext, options: Parameters<typeof startMosquitto>[0] = {}): Promise<RunningMosquitto> {
  const broker = await startMosquitto(options)
  t.after(() => broker.stop())
  return broker
}

/** An echo through the broker whose payload names the protocol version. */
function pubSub(url: string, options: Parameters<typeof echo>[3] & { protocolVersion: 4 | 5 }) {
  return echo(url, 'launcher/test', `v${options.protocolVersion}`, options)
}

describe('mosquitto launcher', () => {
  test('writes password lines in Mosquitto 2.0 format (vector from mosquitto_passwd)', () => {
    const salt = Buffer.from('K4LBMR0GK5j+1cje', 'base64')
    assert.equal(
      mosquittoPasswordLine('alice', 'secret', salt),
      'alice:$7$101$K4LBMR0GK5j+1cje$qhQICaUDgqgCfD3YsCTnQQifOmDWa6laodBJUNv0LNhnmPpewlk8L1xR2bQD6M11vhrlm0EzI5nl+i8zOVDsCw==',
    )
  })

  mosquittoTest('starts on a free port and carries MQTT 5 and 3.1.1 traffic', async (t) => {
    const broker = await started(t)
    assert.equal(broker.url, `mqtt://127.0.0.1:${broker.port}`)
    assert.deepEqual(await pubSub(broker.url, { protocolVersion: 5 }), ['launcher/test', 'v5'])
    assert.deepEqual(await pubSub(broker.url, { protocolVersion: 4 }), ['launcher/test', 'v4'])
    assert.match(broker.log(), /running/)
  })

  mosquittoTest('TLS with a required client certificate, and a password file', async (t) => {
    const certs = await testCertificates()
    const broker = await started(t, {
      users: { alice: 'secret' },
      allowAnonymous: false,
      tls: { requireCertificate: true },
    })
    assert.ok(broker.tlsPort !== undefined && broker.tlsUrl !== undefined)
    const tls = { ca: certs.ca.pem, cert: certs.clientCert.pem, username: 'alice', password: 'secret' }
    assert.deepEqual(await pubSub(broker.tlsUrl, { protocolVersion: 5, ...tls, key: certs.clientKey.pem }), [
      'launcher/test',
      'v5',
    ])
    assert.deepEqual(
      await pubSub(broker.tlsUrl, {
        protocolVersion: 4,
        ...tls,
        key: certs.clientKeyEncrypted.pem,
        passphrase: CLIENT_KEY_PASSPHRASE,
      }),
      ['launcher/test', 'v4'],
    )
    await assert.rejects(
      mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0, username: 'alice', password: 'wrong' }),
    )
    await assert.rejects(mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 }))
    assert.deepEqual(await pubSub(broker.url, { protocolVersion: 5, username: 'alice', password: 'secret' }), [
      'launcher/test',
      'v5',
    ])
    await assert.rejects(
      mqtt.connectAsync(broker.tlsUrl, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        ca: certs.ca.pem,
        ...{ username: 'alice', password: 'secret' },
      }),
    )
  })

  mosquittoTest('applies an ACL file', async (t) => {
    const broker = await started(t, {
      users: { alice: 'secret' },
      acl: 'topic read public/#\nuser alice\ntopic readwrite alice/#\n',
    })
    const anonymous = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 })
    const alice = await mqtt.connectAsync(broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      username: 'alice',
      password: 'secret',
    })
    // Mosquitto 2.0 grants the subscription and filters at delivery.
    await anonymous.subscribeAsync('alice/#', { qos: 1 })
    await alice.subscribeAsync('alice/#', { qos: 1 })
    const leaked: string[] = []
    anonymous.on('message', (topic) => leaked.push(topic))
    const toAlice = nextMessage(alice)
    await alice.publishAsync('alice/private', 'for alice only', { qos: 1 })
    assert.deepEqual(await toAlice, ['alice/private', 'for alice only'])
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.deepEqual(leaked, [])
    await Promise.all([anonymous.endAsync(), alice.endAsync()])
  })

  mosquittoTest('restarts on the same port', async (t) => {
    const broker = await started(t)
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 })
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
    await broker.restart()
    await closed
    client.end(true)
    assert.equal(await portOpen(broker.port), true)
    assert.deepEqual(await pubSub(broker.url, { protocolVersion: 5 }), ['launcher/test', 'v5'])
  })

  mosquittoTest('with persistence, a queued QoS 1 message survives kill -9 and restart', async (t) => {
    const broker = await started(t, { persistence: true })
    const session = { protocolVersion: 4, clientId: 'petrel-persist', clean: false, reconnectPeriod: 0 } as const
    const subscriber = await mqtt.connectAsync(broker.url, session)
    await subscriber.subscribeAsync('persist/#', { qos: 1 })
    await subscriber.endAsync()
    const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 })
    await publisher.publishAsync('persist/1', 'kept', { qos: 1 })
    await publisher.endAsync()

    await broker.kill('SIGKILL')
    assert.equal(await portOpen(broker.port), false)
    await broker.restart()

    const back = mqtt.connect(broker.url, session)
    const received = nextMessage(back)
    assert.deepEqual(await received, ['persist/1', 'kept'])
    await back.endAsync()
  })

  mosquittoTest('stop() frees the port, is idempotent, and stopAllMosquittos() stops the rest', async () => {
    const first = await startMosquitto()
    const second = await startMosquitto()
    await first.stop()
    await first.stop()
    assert.equal(await portOpen(first.port), false)
    await stopAllMosquittos()
    assert.equal(await portOpen(second.port), false)
  })
})
