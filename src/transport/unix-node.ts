// MQTT over a unix domain socket (node:net with a path).
import { connect } from 'node:net'
import { classifyNetError, connectSocket } from './socket-node.js'
import type { TransportConnector } from './types.js'

export interface UnixConnectorOptions {
  /** Path of the socket file. */
  path: string
}

export function unixConnector(options: UnixConnectorOptions): TransportConnector {
  return (handlers, signal) =>
    connectSocket(
      {
        target: options.path,
        readyEvent: 'connect',
        open: () => connect({ path: options.path }),
        classify: (error, phase) => classifyNetError(error, phase, options.path),
      },
      handlers,
      signal,
    )
}
