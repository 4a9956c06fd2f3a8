// Paho's first README example: subscribe to the broker's $SYS tree in onConnect (so a reconnect renews the
// subscription) and print every message; loopForever() runs until disconnect(). Mosquitto publishes $SYS
// topics; this example stops after EXAMPLE_MAX_MESSAGES messages (default: runs until Ctrl-C).
//   npx tsx examples/sys-subscriber.ts mqtt://localhost:1883
import { CallbackAPIVersion, Client } from '../src/paho/index.js'
import { brokerAddress } from './broker-address.js'

const { hostname, port } = brokerAddress()
const maxMessages = Number(process.env.EXAMPLE_MAX_MESSAGES ?? Number.POSITIVE_INFINITY)
let received = 0

const client = new Client(CallbackAPIVersion.VERSION2)
client.onConnect = (c, _userdata, _flags, reasonCode) => {
  console.log(`Connected with result code ${reasonCode}`)
  c.subscribe('$SYS/#')
}
client.onMessage = (c, _userdata, message) => {
  console.log(`${message.topic} ${new TextDecoder().decode(message.payload)}`)
  if (++received >= maxMessages) void c.disconnect()
}
process.once('SIGINT', () => void client.disconnect())

client.connectAsync(hostname, port, 60)
await client.loopForever()
console.log(`disconnected after ${received} messages`)
