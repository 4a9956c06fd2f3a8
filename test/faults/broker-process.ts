// Runs the embedded broker in its own process, with a fault proxy in front of it that delays every chunk
// by 200 ms — for tests that stall their own event loop: broker and proxy must keep working meanwhile.
// Prints {"port", "delayedPort"} on stdout; exits when stdin closes.
import { startBroker } from '../../src/broker/index.js'
import { startFaultProxy } from '../support/fault-proxy.js'

const broker = await startBroker({ port: 0 })
const delayed = await startFaultProxy({ targetPort: broker.port })
delayed.delay(200)
process.stdout.write(`${JSON.stringify({ port: broker.port, delayedPort: delayed.port })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void Promise.all([delayed.close(), broker.close()]).then(() => process.exit(0))
})
