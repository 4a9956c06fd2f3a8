// Paho's subscribe failure test: a filter the broker's authorisation refuses comes back as a failure code in
// SUBACK (0x80 in 3.1.1, 0x87 "not authorised" in 5.0) while the other filters are granted and the
// connection stays up. Mosquitto 2.0's acl_file does not check subscriptions, so its dynamic security
// plugin enforces the rule; the embedded broker uses Aedes' authorizeSubscribe hook.
import assert from 'node:assert/strict'
import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTempDir } from '../support/tmp.js'
import {
  type BrokerKind,
  describeEachTarget,
  EMBEDDED,
  MOSQUITTO,
  startEmbedded,
  startMosquittoBroker,
} from './brokers.js'
import { openClient, uniqueClientId } from './harness.js'

const DENIED = 'test/nosubscribe'

const DYNSEC_PLUGIN = [
  '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so',
  '/usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so',
  '/usr/lib/mosquitto_dynamic_security.so',
  '/usr/local/lib/mosquitto_dynamic_security.so',
].find((path) => existsSync(path))

/** A dynamic-security config: user alice / secret, whose role may not subscribe to DENIED. */
function writeDynsecConfig(): string {
  const salt = randomBytes(12)
  const hash = pbkdf2Sync('secret', salt, 101, 64, 'sha512')
  const path = join(makeTempDir('dynsec'), 'dynamic-security.json')
  const config = {
    defaultACLAccess: { publishClientSend: true, publishClientReceive: true, subscribe: true, unsubscribe: true },
    clients: [
      {
        username: 'alice',
        password: hash.toString('base64'),
        salt: salt.toString('base64'),
        iterations: 101,
        roles: [{ rolename: 'limited' }],
      },
    ],
    groups: [],
    roles: [{ rolename: 'limited', acls: [{ acltype: 'subscribePattern', topic: DENIED, priority: 0, allow: false }] }],
  }
  writeFileSync(path, JSON.stringify(config))
  return path
}

const GUARDED_MOSQUITTO: BrokerKind = {
  ...MOSQUITTO,
  start: () =>
    startMosquittoBroker({
      allowAnonymous: false,
      config: [`plugin ${DYNSEC_PLUGIN}`, `plugin_opt_config_file ${writeDynsecConfig()}`],
    }),
}

const GUARDED_EMBEDDED: BrokerKind = {
  ...EMBEDDED,
  versions: [3, 4],
  async start() {
    const broker = await startEmbedded(0, (aedes) => {
      // Aedes answers 0x80 for a subscription its hook replaces with null.
      aedes.authorizeSubscribe = (_client, subscription, done) =>
        done(null, subscription.topic === DENIED ? null : subscription)
    })
    return broker
  },
}

describeEachTarget(
  (target) => {
    target.test(
      'subscribe failure - paho: a denied filter fails in SUBACK, the others are granted',
      async (t, broker) => {
        if (target.kind.name === 'mosquitto' && DYNSEC_PLUGIN === undefined) {
          t.skip('SKIPPED: the Mosquitto dynamic security plugin is not installed')
          return
        }
        const client = await openClient(t, broker.url, {
          protocolVersion: target.version,
          clientId: uniqueClientId('subfail'),
          username: 'alice',
          password: 'secret',
        })
        const results = await client.subscribe([
          { topic: 'allowed/topic', qos: 2 },
          { topic: DENIED, qos: 2 },
        ])
        assert.deepEqual(results[0], { topic: 'allowed/topic', qos: 2, reasonCode: 2 })
        // 3.1.1: 0x80 is the one failure code [MQTT-3.9.3-2]; 5.0: 0x87 not authorised.
        assert.deepEqual(results[1], { topic: DENIED, reasonCode: target.version === 5 ? 0x87 : 0x80 })
        await client.publish('allowed/topic', 'still connected', { qos: 1 })
        assert.equal(client.connected, true, 'a refused filter does not end the connection')
      },
    )
  },
  [GUARDED_EMBEDDED, GUARDED_MOSQUITTO],
)
