// Picks the Node transport for a broker address. The only client file that reaches Node-specific code:
// a browser build replaces this module with one that opens WebSockets.
import { tcpConnector } from '../transport/tcp-node.js'
import { tlsConnector } from '../transport/tls-node.js'
import type { TransportConnector } from '../transport/types.js'
import { unixConnector } from '../transport/unix-node.js'
import type { BrokerAddress } from '../transport/url.js'
import { InvalidArgumentError } from './errors.js'
import type { ClientOptions } from './options.js'

export function connectorFor(address: BrokerAddress, options: ClientOptions): TransportConnector {
  switch (address.kind) {
    case 'unix':
      return unixConnector({ path: address.path })
    case 'tcp':
      if (address.tls) {
        return tlsConnector({
          ...options.tls,
          host: address.host,
          port: address.port,
          localAddress: options.bindAddress,
        })
      }
      return tcpConnector({ host: address.host, port: address.port, localAddress: options.bindAddress })
    case 'ws':
      throw new InvalidArgumentError(`WebSocket URLs are not supported yet: ${address.url}`)
  }
}
