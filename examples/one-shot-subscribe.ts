// Paho's subscribe.simple (wait for a message, return it) and subscribe.callback (a function per message
// until stopped). This example takes the first message of each topic; publish to them (retained messages
// count) and watch it print.
//   npx tsx examples/one-shot-subscribe.ts mqtt://localhost:1883
import * as subscribe from '../src/helpers/subscribe.js'
import { brokerAddress } from './broker-address.js'

const { hostname, port } = brokerAddress()
const text = (payload: Uint8Array) => new TextDecoder().decode(payload)

const msg = await subscribe.simple('paho/test/simple', { hostname, port })
console.log(`simple: ${msg.topic} ${text(msg.payload)}`)

const subscriber = await subscribe.callback(
  (_client, userdata, message) => {
    console.log(`callback (${userdata}): ${message.topic} ${text(message.payload)}`)
    void subscriber.stop() // one is enough for this example; a real one keeps going
  },
  'paho/test/callback',
  { hostname, port, userdata: 'my data' },
)
await subscriber.done
console.log('callback: stopped')
