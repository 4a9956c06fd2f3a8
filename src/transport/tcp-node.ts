// MQTT over plain TCP (node:net).
import { connect } from 'node:net'
import { classifyNetError, connectSocket } from './socket-node.js'
import type { TransportConnector } from './types.js'
import { hostPort } from './url.js'

export interface TcpConnectorOptions {
  host: string
  port: number
  /** Local address to bind to before connecting. */
  localAddress?: string
  /** 4 or 6 to force an address family; default: whatever the host resolves to. */
  family?: 4 | 6
  /** Disable Nagle's algorithm (default true: MQTT packets are small and latency matters). */
  noDelay?: boolean
}

export function tcpConnector(options: TcpConnectorOptions): TransportConnector {
  const target = hostPort(options.host, options.port)
  return (handlers, signal) =>
    connectSocket(
      {
        target,
        readyEvent: 'connect',
        open: () =>
          connect({
            host: options.host,
            port: options.port,
            localAddress: options.localAddress,
            family: options.family,
            noDelay: options.noDelay ?? true,
          }),
        classify: (error, phase) => classifyNetError(error, phase, target),
      },
      handlers,
      signal,
    )
}
