// The browser build's stand-in for connectors-node.ts (swapped in by scripts/build-browser.mjs): browsers
// speak MQTT only over their own WebSocket, with no headers, proxies or TLS settings of ours.
import type { TransportConnector } from '../transport/types.js'
import type { BrokerAddress } from '../transport/url.js'
import { browserWebSocketConnector } from '../transport/websocket-browser.js'
import { InvalidArgumentError } from './errors.js'
import type { ClientOptions } from './options.js'

export function connectorFor(address: BrokerAddress, options: ClientOptions): TransportConnector {
  if (address.kind !== 'ws') {
    throw new InvalidArgumentError(`browsers reach MQTT brokers only over WebSocket: use a ws:// or wss:// URL`)
  }
  if (options.ws?.headers !== undefined)
    throw new InvalidArgumentError('browsers do not let scripts set WebSocket headers')
  if (options.proxy !== undefined && options.proxy !== false) {
    throw new InvalidArgumentError('the proxy option needs Node: a browser uses its own proxy settings')
  }
  if (options.tls !== undefined) throw new InvalidArgumentError('the tls option needs Node: a browser does its own TLS')
  const { headers: _headers, ...ws } = options.ws ?? {}
  return browserWebSocketConnector({ ...ws, url: address.url })
}
