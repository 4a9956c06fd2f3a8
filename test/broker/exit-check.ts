// Run as a child process by broker.test.ts: if close() left a socket or timer behind, this never exits
// and the test's timeout fails it.
import mqtt from 'mqtt'
import { startBroker } from '../../src/broker/index.js'

const broker = await startBroker({ port: 0, wsPort: 0 })
const tcp = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 })
const ws = await mqtt.connectAsync(broker.wsUrl!, { protocolVersion: 4, reconnectPeriod: 0 })
await tcp.publishAsync('exit/check', 'x', { qos: 1 })
// Close the broker under connected clients; the clients must not reconnect (reconnectPeriod 0).
await broker.close()
tcp.end(true)
ws.end(true)
console.log('closed')
