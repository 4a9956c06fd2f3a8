// A sensor with loopStart(): the client connects and reconnects in the background while the program publishes
// a reading every second (EXAMPLE_INTERVAL_MS), EXAMPLE_READINGS times (default 5), then stops cleanly.
//   npx tsx examples/sensor-publisher.ts mqtt://localhost:1883
import { Client, MQTTv311 } from '../src/paho/index.js'
import { brokerAddress } from './broker-address.js'

const { hostname, port } = brokerAddress()
const readings = Number(process.env.EXAMPLE_READINGS ?? 5)
const intervalMs = Number(process.env.EXAMPLE_INTERVAL_MS ?? 1000)

const client = new Client({ clientId: `sensor-${process.pid}`, protocol: MQTTv311 })
client.willSet('sensors/kitchen/status', 'offline', 1, true)
client.onConnect = (c) => c.publish('sensors/kitchen/status', 'online', 1, true)
client.connectAsync(hostname, port)
client.loopStart()

for (let i = 1; i <= readings; i++) {
  const temperature = (20 + Math.sin(i) * 2).toFixed(2)
  const info = client.publish('sensors/kitchen/temperature', temperature, 1)
  await info.waitForPublish(5) // also fine while offline: it is sent, and resolves, after the reconnect
  console.log(`reading ${i}: ${temperature} (mid ${info.mid}, published: ${info.isPublished()})`)
  await new Promise((resolve) => setTimeout(resolve, intervalMs))
}

client.publish('sensors/kitchen/status', 'offline', 1, true)
client.loopStop()
await client.disconnect()
console.log('sensor stopped')
