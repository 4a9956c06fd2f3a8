// MQTT over WebSocket end to end: the embedded broker's websocket listener, and Mosquitto (MQTT 5) through a
// WebSocket-to-TCP bridge that can re-cut frames (one byte per frame, several packets per frame).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import { MOSQUITTO_AVAILABLE, SKIP_MOSQUITTO, warnIfMosquittoMissing } from '../live/brokers.js'
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.js'
import { type Reframe, startWsBridge } from '../support/ws-bridge.js'
import { roundTrip } from './live-roundtrip.js'

describe('MQTT over WebSocket: embedded broker', () => {
  let broker: EmbeddedBroker
  before(async () => {
    broker = await startBroker({ port: 0, wsPort: 0 })
  })
  after(() => broker.close())

  test('MQTT 3.1.1 and 3.1, QoS 0/1/2, default and explicit path', async () => {
    await roundTrip(broker.wsUrl, { protocolVersion: 4 })
    await roundTrip(`ws://127.0.0.1:${broker.wsPort}`, { protocolVersion: 3 })
    await roundTrip(`ws://127.0.0.1:${broker.wsPort}/`, { protocolVersion: 4, ws: { headers: { 'X-Test': '1' } } })
  })

  test('large messages cross many frames and the backpressure path', async () => {
    await roundTrip(broker.wsUrl, { protocolVersion: 4, ws: { highWaterMark: 1024 } }, 300_000)
  })

  test('[3.1.1: MQTT-6.0.0-2] the embedded broker through the bridge, one byte per frame and coalesced', async () => {
    for (const reframe of ['bytewise', 'coalesce'] as Reframe[]) {
      const bridge = await startWsBridge({ targetPort: broker.port, reframe })
      await roundTrip(bridge.url, { protocolVersion: 4 })
      if (reframe === 'bytewise') assert.equal(bridge.stats.frames, bridge.stats.bytes)
      else assert.ok(bridge.stats.frames < 10, `coalesced into ${bridge.stats.frames} frames`)
      await bridge.close()
    }
  })
})

describe('MQTT 5 over WebSocket: Mosquitto through the bridge', () => {
  warnIfMosquittoMissing()
  let mosquitto: RunningMosquitto | undefined
  before(async () => {
    if (MOSQUITTO_AVAILABLE) mosquitto = await startMosquitto()
  })
  after(() => mosquitto?.stop())

  for (const reframe of ['as-is', 'bytewise', 'coalesce'] as Reframe[]) {
    test(`[MQTT-6.0.0-2] protocol 5, QoS 0/1/2, frames ${reframe}`, async (t) => {
      if (mosquitto === undefined) {
        t.skip(SKIP_MOSQUITTO)
        return
      }
      const bridge = await startWsBridge({ targetPort: mosquitto.port, reframe })
      try {
        await roundTrip(bridge.url, { protocolVersion: 5 }, reframe === 'bytewise' ? 64 : 20_000)
        if (reframe === 'bytewise') assert.equal(bridge.stats.frames, bridge.stats.bytes)
      } finally {
        await bridge.close()
      }
    })
  }
})
