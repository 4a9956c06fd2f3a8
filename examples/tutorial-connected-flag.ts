// The tutorial's pattern: a connected flag set in onConnect, a loop that waits for it, then the work.
// In JavaScript the wait must yield (await), never spin: client.loop(0.1) lets 100 ms of I/O happen.
//   npx tsx examples/tutorial-connected-flag.ts mqtt://localhost:1883
import { Client } from '../src/paho/index.js'
import { brokerAddress } from './broker-address.js'

const { hostname, port } = brokerAddress()

const client = new Client({ clientId: `tutorial-${process.pid}` })
let connectedFlag = false
let subscribedFlag = false
let messages = 0
client.onConnect = (_client, _userdata, _flags, reasonCode) => {
  if (reasonCode.value === 0) {
    connectedFlag = true
    console.log('connected OK')
  } else console.log(`bad connection, returned code ${reasonCode.getName()}`)
}
client.onDisconnect = () => {
  connectedFlag = false
}
client.onSubscribe = () => {
  subscribedFlag = true
}
client.onMessage = (_client, _userdata, message) => {
  messages++
  console.log(`message received: ${message.topic} ${new TextDecoder().decode(message.payload)}`)
}

client.loopStart()
console.log(`connecting to ${hostname}:${port}`)
client.connectAsync(hostname, port)
while (!connectedFlag) {
  console.log('in wait loop')
  await client.loop(0.1)
}

client.subscribe('house/bulbs/bulb1', 1)
while (!subscribedFlag) await client.loop(0.05)
await client.publish('house/bulbs/bulb1', 'OFF', 1).waitForPublish()
while (messages === 0) await client.loop(0.05)

client.loopStop()
await client.disconnect()
console.log('disconnected')
