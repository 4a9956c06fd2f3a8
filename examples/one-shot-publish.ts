// Paho's publish.single and publish.multiple: connect, publish, disconnect in one call.
//   npx tsx examples/one-shot-publish.ts mqtt://localhost:1883
import * as publish from '../src/helpers/publish.js'
import { brokerAddress } from './broker-address.js'

const { hostname, port } = brokerAddress()

await publish.single('paho/test/single', 'payload', { hostname, port })
console.log('single: published')

const msgs: publish.MessageSpec[] = [
  { topic: 'paho/test/multiple', payload: 'multiple 1' },
  ['paho/test/multiple', 'multiple 2', 0, false],
]
await publish.multiple(msgs, { hostname, port })
console.log(`multiple: published ${msgs.length} messages`)
