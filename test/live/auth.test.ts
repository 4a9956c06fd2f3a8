// Authentication: the right credentials are accepted; a bad password and missing credentials are refused
// with a typed ConnectError ('ERR_CONNECT_REFUSED') carrying the MQTT 5 reason code (3.1 / 3.1.1 return
// codes are mapped to it; the raw one stays in `returnCode`). Mosquitto uses a password file, the embedded
// broker Aedes' authenticate hook.
import assert from 'node:assert/strict'
import { type ConnectError, MqttError } from '../../src/index.js'
import {
  type BrokerKind,
  describeEachTarget,
  EMBEDDED,
  MOSQUITTO,
  startEmbedded,
  startMosquittoBroker,
} from './brokers.js'
import { openClient, uniqueClientId, within } from './harness.js'

/** The refusal connect() rejects with, or a failure if it connects. */
async function refusal(promise: Promise<unknown>): Promise<ConnectError> {
  const outcome = await within(
    'the refused connect()',
    promise.then(
      () => undefined,
      (error: unknown) => error,
    ),
  )
  assert.ok(outcome instanceof MqttError, `expected a typed refusal, got ${String(outcome)}`)
  assert.equal(outcome.code, 'ERR_CONNECT_REFUSED')
  return outcome as ConnectError
}

const SECURED_MOSQUITTO: BrokerKind = {
  ...MOSQUITTO,
  versions: [3, 4, 5],
  start: () => startMosquittoBroker({ users: { alice: 'secret' }, allowAnonymous: false }),
}

const SECURED_EMBEDDED: BrokerKind = {
  ...EMBEDDED,
  start: () =>
    startEmbedded(0, (aedes) => {
      aedes.authenticate = (_client, username, password, done) => {
        if (username === undefined) done(Object.assign(new Error('not authorised'), { returnCode: 5 }), false)
        else if (username === 'alice' && new TextDecoder().decode(password) === 'secret') done(null, true)
        else done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false)
      }
    }),
}

describeEachTarget(
  (target) => {
    const as = (username?: string, password?: string) => ({
      protocolVersion: target.version,
      clientId: uniqueClientId('auth'),
      username,
      password,
    })

    target.test('auth - the right user name and password are accepted', async (t, broker) => {
      const client = await openClient(t, broker.url, as('alice', 'secret'))
      assert.equal(client.connected, true)
    })

    target.test('auth - a bad password is refused with a typed ConnectError and its reason code', async (t, broker) => {
      const error = await refusal(openClient(t, broker.url, as('alice', 'wrong')))
      if (target.kind.name === 'mosquitto') {
        // Mosquitto 2.0 answers "not authorised" (0x87, return code 5) rather than "bad user name or password".
        assert.equal(error.reasonCode, 0x87)
        assert.equal(error.returnCode, target.version === 5 ? undefined : 5)
      } else {
        assert.equal(error.reasonCode, 0x86, 'return code 4 is reported as reason code 0x86')
        assert.equal(error.returnCode, 4)
      }
    })

    target.test('auth - no credentials when anonymous access is off: not authorised (0x87)', async (t, broker) => {
      const error = await refusal(openClient(t, broker.url, as()))
      assert.equal(error.reasonCode, 0x87)
      assert.equal(error.returnCode, target.version === 5 ? undefined : 5)
    })

    target.test('auth - a refused client does not retry on its own (the refusal is final)', async (t, broker) => {
      const client = await openClient(t, broker.url, { ...as('alice', 'wrong'), reconnect: { minDelay: 10 } }).catch(
        (error: unknown) => error,
      )
      assert.ok(client instanceof MqttError)
    })
  },
  [SECURED_EMBEDDED, SECURED_MOSQUITTO],
)
