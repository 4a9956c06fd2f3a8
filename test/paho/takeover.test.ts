// Session takeover: another connection with the same client id. MQTT 5 lets the server say so with
// DISCONNECT 0x8E (Session taken over); Mosquitto 2.0.11 does not send it (wire trace: the CONNACK, then
// the socket closes), so there the Client reports `offline` without `disconnect`, as for 3.1.1.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Client as PetrelClient } from '../../src/client/client.js'
import { connect, createClient } from '../../src/client/create.js'
import type { ProtocolVersion } from '../../src/packet/types.js'
import { Client, MQTTv5, MQTTv311 } from '../../src/paho/index.js'
import { startFakeServer } from '../client/fake-server.js'
import { mosquittoAvailable, type RunningMosquitto, startMosquitto } from '../support/mosquitto.js'

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The Client's connection events, in order, as [name, reason code, from server]. */
function recordEvents(client: PetrelClient): Array<[string, number?, boolean?]> {
  const events: Array<[string, number?, boolean?]> = []
  client.on('disconnect', (event) => events.push(['disconnect', event.reasonCode, event.fromServer]))
  client.on('offline', () => events.push(['offline']))
  client.on('error', () => {})
  return events
}

describe('session taken over, scripted server', () => {
  test('MQTT 5: DISCONNECT 0x8E is reported as disconnect { 0x8e, fromServer } before offline', async () => {
    const server = await startFakeServer()
    try {
      const client = createClient(server.url, { protocolVersion: 5, reconnect: false })
      const events = recordEvents(client)
      const connected = client.connect()
      const connection = await server.nextConnection()
      await connection.accept()
      await connected
      connection.send({ type: 'disconnect', reasonCode: 0x8e })
      connection.destroy()
      await until(() => events.length === 2, 'offline')
      assert.deepEqual(events, [['disconnect', 0x8e, true], ['offline']])
      await client.close()
    } finally {
      await server.close()
    }
  })

  test('Paho facade: onDisconnect gets the server DISCONNECT 0x8E, or 0x80 for a closed socket', async () => {
    const server = await startFakeServer()
    try {
      for (const [protocol, sendDisconnect, expected] of [
        [MQTTv5, true, [true, 0x8e]],
        [MQTTv5, false, [false, 0x80]],
        [MQTTv311, false, [false, 0x80]],
      ] as const) {
        const client = new Client({ protocol })
        const disconnects: Array<[boolean, number]> = []
        client.onDisconnect = (_c, _u, flags, rc) => disconnects.push([flags.isDisconnectPacketFromServer, rc.value])
        const connected = client.connect('127.0.0.1', server.port)
        const connection = await server.nextConnection()
        await connection.accept()
        await connected
        if (sendDisconnect) connection.send({ type: 'disconnect', reasonCode: 0x8e })
        connection.destroy()
        await until(() => disconnects.length === 1, 'onDisconnect')
        assert.deepEqual(disconnects, [expected])
        await client.disconnect()
      }
    } finally {
      await server.close()
    }
  })
})

describe('session taken over on Mosquitto', () => {
  let mosquitto: RunningMosquitto | undefined
  before(async () => {
    if (mosquittoAvailable() !== undefined) mosquitto = await startMosquitto()
  })
  after(() => mosquitto?.stop())

  for (const protocolVersion of [5, 4] as ProtocolVersion[]) {
    test(`protocol ${protocolVersion}: the old connection goes offline with no disconnect event`, async (t) => {
      if (mosquitto === undefined) {
        console.log('SKIPPED: mosquitto not installed')
        return t.skip()
      }
      const clientId = `takeover-${protocolVersion}`
      const victim = await connect(mosquitto.url, { clientId, protocolVersion, reconnect: false })
      const events = recordEvents(victim)
      const thief = await connect(mosquitto.url, { clientId, protocolVersion, reconnect: false })
      await until(() => events.length > 0, 'offline')
      // A DISCONNECT would be read before the socket's end, so its event would come first.
      assert.deepEqual(events, [['offline']])
      assert.match(mosquitto.log(), new RegExp(`Client ${clientId} already connected, closing old connection`))
      await thief.disconnect()
      await victim.close()
    })
  }
})
