// The connection options and protocol constants that each helper entry point (petrel-mqtt/publish,
// petrel-mqtt/subscribe) exports along with its own functions.
export {
  type ConnectionOptions,
  MQTTv5,
  MQTTv31,
  MQTTv311,
  type PahoTlsOptions,
  type PahoWill,
  type Transport,
} from './connect-options.js'
