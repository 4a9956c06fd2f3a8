// The facade's MQTT 5 paths (reason codes from the server, refusals, a server DISCONNECT) need a real MQTT 5
// broker: Mosquitto when installed.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  Client,
  MQTT_ERR_CONN_REFUSED,
  MQTT_ERR_SUCCESS,
  MQTTv5,
  MQTTv311,
  type ReasonCode,
} from '../../src/paho/index.js'
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from '../support/mosquitto.js'

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('Paho facade against Mosquitto (MQTT 5 and 3.1.1)', () => {
  let mosquitto: RunningMosquitto | undefined
  before(async () => {
    if (mosquittoAvailable() !== undefined) {
      mosquitto = await startMosquitto({
        users: { alice: 'secret' },
        allowAnonymous: false,
        acl: 'user alice\ntopic readwrite ok/#\n',
      })
    }
  })
  after(() => mosquitto?.stop())

  test('refusal: onConnect gets the failure reason code and connect() resolves CONN_REFUSED', async (t) => {
    if (mosquitto === undefined) {
      console.log('SKIPPED: mosquitto not installed')
      return t.skip()
    }
    for (const protocol of [MQTTv5, MQTTv311]) {
      const client = new Client({ protocol })
      client.usernamePwSet('alice', 'wrong')
      let code: ReasonCode | undefined
      client.onConnect = (_c, _u, _flags, rc) => {
        code = rc
      }
      assert.equal(await client.connect('127.0.0.1', mosquitto.port), MQTT_ERR_CONN_REFUSED)
      assert.ok(code?.isFailure)
      assert.ok(code?.value === 0x86 || code?.value === 0x87, `reason ${code?.value}`)
      await client.disconnect()
    }
  })

  test('MQTT 5: SUBACK reason codes, a server DISCONNECT (session taken over), properties', async (t) => {
    if (mosquitto === undefined) {
      console.log('SKIPPED: mosquitto not installed')
      return t.skip()
    }
    const client = new Client({ protocol: MQTTv5, clientId: 'paho-five' })
    client.usernamePwSet('alice', 'secret')
    let suback: number[] = []
    client.onSubscribe = (_c, _u, _mid, codes) => {
      suback = codes.map((code) => code.value)
    }
    const disconnects: Array<[boolean, number]> = []
    client.onDisconnect = (_c, _u, flags, rc) => disconnects.push([flags.isDisconnectPacketFromServer, rc.value])
    let published: ReasonCode | undefined
    client.onPublish = (_c, _u, _mid, rc) => {
      published = rc
    }
    assert.equal(
      await client.connect('127.0.0.1', mosquitto.port, 30, '', 0, true, { sessionExpiryInterval: 0 }),
      MQTT_ERR_SUCCESS,
    )
    client.subscribe([
      ['ok/#', { qos: 1, noLocal: true }],
      ['other/#', 2],
    ])
    await until(() => suback.length === 2, 'SUBACK')
    assert.deepEqual(suback, [1, 2])
    const info = client.publish('ok/x', 'v5', 1, false, { contentType: 'text/plain' })
    await info.waitForPublish(2)
    await until(() => published !== undefined, 'onPublish')
    assert.equal(published!.isFailure, false)

    const thief = new Client({ protocol: MQTTv5, clientId: 'paho-five' })
    thief.usernamePwSet('alice', 'secret')
    await thief.connect('127.0.0.1', mosquitto.port)
    await until(() => disconnects.length === 1, 'takeover')
    // Mosquitto 2.0.11 sends no DISCONNECT 0x8E (Session taken over): it closes the socket, reported as 0x80.
    // A server that sends 0x8E is covered in takeover.test.ts.
    assert.deepEqual(disconnects[0], [false, 0x80])
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(disconnects.length, 1)
    await thief.disconnect(0x04)
    await client.disconnect()
  })
})
