// TLS against Mosquitto's TLS listener (test certificates from test/support/certs.ts): a trusted CA
// connects, an untrusted or missing CA and a wrong host name fail with a typed 'ERR_TLS', and a listener
// that requires client certificates accepts Petrel's certificate (plain or passphrase-protected key) and
// refuses a client without one.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { type ClientOptions, MqttError } from '../../src/index.js'
import { CLIENT_KEY_PASSPHRASE, testCertificates } from '../support/certs.js'
import { type MosquittoTlsOptions, type RunningMosquitto, startMosquitto } from '../support/mosquitto.js'
import { mosquittoTest } from './brokers.js'
import { openWithInbox, uniqueClientId, uniqueName, within } from './harness.js'

async function tlsMosquitto(t: TestContext, tls: MosquittoTlsOptions = {}): Promise<RunningMosquitto> {
  const mosquitto = await startMosquitto({ tls })
  t.after(() => mosquitto.stop())
  return mosquitto
}

/** The error connect() fails with (the test fails if it connects). */
async function failure(t: TestContext, url: string, options: ClientOptions): Promise<MqttError> {
  const outcome = await within(
    'the refused TLS connect()',
    openWithInbox(t, url, { clientId: uniqueClientId('tls'), ...options }).then(
      () => undefined,
      (error: unknown) => error,
    ),
  )
  assert.ok(outcome instanceof MqttError, `expected a typed error, got ${String(outcome)}`)
  return outcome
}

/** Connects over TLS and proves the session works with a QoS 1 round trip. */
async function roundTrip(t: TestContext, url: string, options: ClientOptions): Promise<void> {
  const topic = uniqueName('tls')
  const { client, inbox } = await openWithInbox(t, url, { clientId: uniqueClientId('tls'), ...options })
  await client.subscribe(topic, { qos: 1 })
  await client.publish(topic, 'over TLS', { qos: 1 })
  await inbox.waitForTopic(topic)
}

mosquittoTest('tls - trusted CA: connects and exchanges messages', async (t) => {
  const certs = await testCertificates()
  const mosquitto = await tlsMosquitto(t)
  await roundTrip(t, mosquitto.tlsUrl!, { tls: { ca: certs.ca.pem } })
  await roundTrip(t, `mqtts://127.0.0.1:${mosquitto.tlsPort}`, { tls: { ca: certs.ca.pem } })
})

mosquittoTest('tls - an untrusted CA, or none, fails with ERR_TLS', async (t) => {
  const certs = await testCertificates()
  const mosquitto = await tlsMosquitto(t)
  assert.equal((await failure(t, mosquitto.tlsUrl!, { tls: { ca: certs.otherCa.pem } })).code, 'ERR_TLS')
  assert.equal((await failure(t, mosquitto.tlsUrl!, {})).code, 'ERR_TLS', "Node's default roots do not trust it")
})

mosquittoTest('tls - a certificate for another host name fails with ERR_TLS', async (t) => {
  const certs = await testCertificates()
  const mosquitto = await tlsMosquitto(t)
  const error = await failure(t, mosquitto.tlsUrl!, { tls: { ca: certs.ca.pem, servername: 'not-localhost.example' } })
  assert.equal(error.code, 'ERR_TLS')
})

mosquittoTest('tls - rejectUnauthorized: false connects without a CA (development only)', async (t) => {
  const mosquitto = await tlsMosquitto(t)
  await roundTrip(t, mosquitto.tlsUrl!, { tls: { rejectUnauthorized: false } })
})

mosquittoTest('tls - client certificate required: accepted with cert and key, also a passphrase key', async (t) => {
  const certs = await testCertificates()
  const mosquitto = await tlsMosquitto(t, { requireCertificate: true })
  await roundTrip(t, mosquitto.tlsUrl!, {
    tls: { ca: certs.ca.pem, cert: certs.clientCert.pem, key: certs.clientKey.pem },
  })
  await roundTrip(t, mosquitto.tlsUrl!, {
    tls: {
      ca: certs.ca.pem,
      cert: certs.clientCert.pem,
      key: certs.clientKeyEncrypted.pem,
      passphrase: CLIENT_KEY_PASSPHRASE,
    },
  })
})

mosquittoTest('tls - client certificate required: a client without one is refused with a typed error', async (t) => {
  const certs = await testCertificates()
  const mosquitto = await tlsMosquitto(t, { requireCertificate: true })
  const error = await failure(t, mosquitto.tlsUrl!, { tls: { ca: certs.ca.pem } })
  // With TLS 1.3 the server checks the client certificate after the client's handshake completed, so the
  // refusal can surface as the TLS alert or as the connection closing before CONNACK.
  t.diagnostic(`refused with ${error.code}`)
  assert.ok(['ERR_TLS', 'ERR_CONNECTION_LOST'].includes(error.code), `code ${error.code}`)
})
