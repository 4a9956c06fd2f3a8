// The browser bundle in headless Chromium: a page served on loopback imports dist/browser/petrel.min.js and
// talks MQTT over the browser's own WebSocket to the embedded broker (and to Mosquitto, MQTT 5, through the
// WebSocket-to-TCP bridge); the test reads the results back with page.evaluate.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type Browser, chromium, type Page } from 'playwright-core'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import { MOSQUITTO_AVAILABLE, SKIP_MOSQUITTO } from '../live/brokers.js'
import { startMosquitto } from '../support/mosquitto.js'
import { startWsBridge } from '../support/ws-bridge.js'
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_AVAILABLE, type PageServer, SKIP_CHROMIUM, servePage } from './harness.js'

if (!CHROMIUM_AVAILABLE) console.log(`\n*** ${SKIP_CHROMIUM}: the browser tests are marked skipped, not passed ***\n`)

interface PageResult {
  received: Array<{ topic: string; qos: number; payload: string }>
  protocolVersion: number
}

/** Runs in the page: connect, subscribe, publish at QoS 0/1/2, wait for all three, disconnect. */
function exchange(page: Page, url: string, protocolVersion: number): Promise<PageResult> {
  return page.evaluate(
    async ({ url, protocolVersion }) => {
      const petrel = await import('/petrel.min.js' as string)
      const client = await petrel.connect(url, { protocolVersion, reconnect: false, connectTimeout: 5000 })
      const received: PageResult['received'] = []
      const all = new Promise<void>((resolve) => {
        client.on('message', (m: { topic: string; qos: number; payload: Uint8Array }) => {
          received.push({ topic: m.topic, qos: m.qos, payload: new TextDecoder().decode(m.payload) })
          if (received.length === 3) resolve()
        })
      })
      await client.subscribe('browser/#', { qos: 2 })
      for (const qos of [0, 1, 2]) await client.publish(`browser/q${qos}`, `hello ${qos}`, { qos })
      await all
      await client.disconnect()
      return { received: received.sort((a, b) => a.qos - b.qos), protocolVersion }
    },
    { url, protocolVersion },
  )
}

const expected = [0, 1, 2].map((qos) => ({ topic: `browser/q${qos}`, qos, payload: `hello ${qos}` }))

describe('browser bundle in headless Chromium', () => {
  let browser: Browser | undefined
  let page: Page | undefined
  let site: PageServer | undefined
  let broker: EmbeddedBroker | undefined
  before(async () => {
    if (!CHROMIUM_AVAILABLE) return
    site = await servePage()
    broker = await startBroker({ port: 0, wsPort: 0 })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    page = await browser.newPage()
    await page.goto(site.url)
  })
  after(async () => {
    await browser?.close()
    await broker?.close()
    await site?.close()
  })

  test('connect over WebSocket to the embedded broker, QoS 0/1/2 round trip', async (t) => {
    if (page === undefined || broker?.wsUrl === undefined) {
      t.skip(SKIP_CHROMIUM)
      return
    }
    const result = await exchange(page, broker.wsUrl, 4)
    assert.deepEqual(result.received, expected)
  })

  test('MQTT 5 to Mosquitto through the WebSocket bridge, one byte per frame', async (t) => {
    if (page === undefined) {
      t.skip(SKIP_CHROMIUM)
      return
    }
    if (!MOSQUITTO_AVAILABLE) {
      t.skip(SKIP_MOSQUITTO)
      return
    }
    const mosquitto = await startMosquitto()
    const bridge = await startWsBridge({ targetPort: mosquitto.port, reframe: 'bytewise' })
    try {
      const result = await exchange(page, bridge.url, 5)
      assert.deepEqual(result.received, expected)
      assert.equal(bridge.stats.frames, bridge.stats.bytes)
    } finally {
      await bridge.close()
      await mosquitto.stop()
    }
  })

  test('mqtt:// URLs give a clear error in the browser', async (t) => {
    if (page === undefined) {
      t.skip(SKIP_CHROMIUM)
      return
    }
    const outcome = await page.evaluate(async () => {
      const petrel = await import('/petrel.min.js' as string)
      try {
        petrel.createClient('mqtt://127.0.0.1:1883')
        return { code: 'none', isMqttError: false }
      } catch (error) {
        return { code: (error as { code: string }).code, isMqttError: error instanceof petrel.MqttError }
      }
    })
    assert.deepEqual(outcome, { code: 'ERR_INVALID_ARGUMENT', isMqttError: true })
  })
})
