// The public API of petrel-mqtt. Nothing else is public.

// Node only, or for the Node-only Paho facade.
export type { TlsOptions } from './client/options.js'
export { connackString, errorString, MQTT_ERR } from './packet/reason-codes.js'
// Everything that runs on every platform (the browser entry exports the same).
export * from './public-api.js'
// Node only (node:fs), like the TCP / TLS connectors connect() already reaches; also at petrel-mqtt/store.
export * from './store/index.js'
export type { ProxyConfig, ProxyOption, ProxyProtocol } from './transport/proxy-config.js'
export {
  type ResolveSrvOptions,
  resolveSrv,
  type SrvConnectorOptions,
  type SrvRecord,
  type SrvResolver,
  type SrvTarget,
  srvConnector,
} from './transport/srv-node.js'
export type { Pem, TlsConnectorOptions } from './transport/tls-node.js'
