// petrel-mqtt/broker: the embedded development broker (needs the optional `aedes` package, and `ws` for
// its WebSocket listener).
export type { AedesInstance, BrokerLogger, BrokerOptions, EmbeddedBroker } from './embedded-broker.js'
export { startBroker } from './embedded-broker.js'
