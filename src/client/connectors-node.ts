// Picks the Node transport for a broker address. The only client file that reaches Node-specific code:
// the browser build replaces this module with connectors-browser.ts, which opens browser WebSockets.

import { selectProxy } from '../transport/proxy-config.js'
import { openProxyTunnel, proxyConnector } from '../transport/proxy-node.js'
import { srvConnector } from '../transport/srv-node.js'
import { tcpConnector } from '../transport/tcp-node.js'
import { tlsConnector } from '../transport/tls-node.js'
import type { TransportConnector } from '../transport/types.js'
import { unixConnector } from '../transport/unix-node.js'
import type { BrokerAddress } from '../transport/url.js'
import { webSocketConnector } from '../transport/websocket-node.js'
import type { ClientOptions } from './options.js'

export function connectorFor(address: BrokerAddress, options: ClientOptions): TransportConnector {
  if (address.kind === 'unix') return unixConnector({ path: address.path })
  if (address.kind === 'srv') {
    // Each target is dialled like an mqtt:// / mqtts:// URL of its own (proxy, TLS options, bind address).
    const { domain, tls } = address
    return srvConnector({
      domain,
      secure: tls,
      resolver: options.srvResolver,
      connectorFor: (target) => connectorFor({ kind: 'tcp', tls, ...target }, options),
    })
  }
  // The `proxy` option, else mqtt_proxy / no_proxy from the environment (as Paho reads them).
  const proxy = selectProxy(options.proxy, address.host, address.port, process.env)
  const localAddress = options.bindAddress
  const tls = address.tls ? (options.tls ?? {}) : undefined
  if (address.kind === 'ws') {
    const { host, port } = address
    return webSocketConnector({
      ...options.ws,
      url: address.url,
      tls,
      localAddress,
      tunnel:
        proxy === undefined ? undefined : (signal) => openProxyTunnel({ proxy, host, port, localAddress }, signal),
    })
  }
  if (proxy !== undefined) return proxyConnector({ proxy, host: address.host, port: address.port, tls, localAddress })
  if (tls !== undefined) return tlsConnector({ ...tls, host: address.host, port: address.port, localAddress })
  return tcpConnector({ host: address.host, port: address.port, localAddress })
}
