// A full MQTT exchange over whatever transport a URL and options pick: connect, subscribe, publish at QoS
// 0, 1 and 2, receive all three, disconnect. Used by the WebSocket, proxy and SRV live tests.
import assert from 'node:assert/strict'
import { type ClientOptions, connect, type ProtocolVersion } from '../../src/index.js'

export async function roundTrip(
  url: string | undefined,
  options: ClientOptions & { protocolVersion: ProtocolVersion },
  payloadSize = 16,
): Promise<void> {
  const client = await connect(url, { reconnect: false, connectTimeout: 5000, ...options })
  try {
    const topic = `petrel/transport/${Math.random().toString(16).slice(2)}`
    await client.subscribe(topic, { qos: 2 })
    const received: Array<{ qos: number; size: number; first: number }> = []
    const all = new Promise<void>((resolve) => {
      client.on('message', (m) => {
        received.push({ qos: m.qos, size: m.payload.length, first: m.payload[0] ?? -1 })
        if (received.length === 3) resolve()
      })
    })
    for (const qos of [0, 1, 2] as const) {
      await client.publish(topic, new Uint8Array(payloadSize).fill(qos + 1), { qos })
    }
    await all
    received.sort((a, b) => a.qos - b.qos)
    assert.deepEqual(received, [
      { qos: 0, size: payloadSize, first: 1 },
      { qos: 1, size: payloadSize, first: 2 },
      { qos: 2, size: payloadSize, first: 3 },
    ])
  } finally {
    await client.disconnect()
  }
}
