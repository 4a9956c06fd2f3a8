// Connections through a proxy: dial the proxy, ask it for a tunnel to the broker (HTTP CONNECT or SOCKS),
// then run MQTT (or TLS, then MQTT) over the tunnel. Used for mqtt://, mqtts://, ws:// and wss://.
import { connect, type Socket } from 'node:net'
import type { TransportError } from './errors.js'
import type { ProxyConfig } from './proxy-config.js'
import { httpConnectHandshake } from './proxy-http-node.js'
import { socksHandshake } from './proxy-socks-node.js'
import { abortError, adaptSocket, classifyNetError } from './socket-node.js'
import { type TlsConnectorOptions, tlsConnector } from './tls-node.js'
import type { TransportConnector } from './types.js'
import { hostPort } from './url.js'

export interface ProxyTunnelOptions {
  proxy: ProxyConfig
  /** The broker, as the proxy should reach it. */
  host: string
  port: number
  localAddress?: string
}

/** A TCP connection to the proxy itself; failures are the proxy's address's ERR_CONNECT / ERR_DNS. */
function dialProxy(proxy: ProxyConfig, localAddress: string | undefined, signal?: AbortSignal): Promise<Socket> {
  const where = `proxy ${hostPort(proxy.host, proxy.port)}`
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.host, port: proxy.port, localAddress, noDelay: true })
    const settle = (error?: TransportError) => {
      signal?.removeEventListener('abort', onAbort)
      socket.off('error', onError)
      socket.off('connect', onConnect)
      if (error === undefined) {
        resolve(socket)
        return
      }
      socket.on('error', () => {})
      socket.destroy()
      reject(error)
    }
    const onAbort = () => settle(abortError(where, signal?.reason))
    const onError = (error: Error) => settle(classifyNetError(error, 'connecting', where))
    const onConnect = () => settle()
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.once('error', onError)
    socket.once('connect', onConnect)
  })
}

/** Resolves with a connected socket that is a byte pipe to host:port through the proxy. */
export async function openProxyTunnel(options: ProxyTunnelOptions, signal?: AbortSignal): Promise<Socket> {
  const { proxy, host, port } = options
  if (signal?.aborted) throw abortError(hostPort(host, port), signal.reason)
  const socket = await dialProxy(proxy, options.localAddress, signal)
  // Until the tunnel is up, an abort ends the handshake by closing the socket under it.
  const onAbort = () => socket.destroy()
  signal?.addEventListener('abort', onAbort, { once: true })
  socket.on('error', () => {})
  try {
    return proxy.protocol === 'http'
      ? await httpConnectHandshake(socket, proxy, host, port)
      : await socksHandshake(socket, proxy, host, port)
  } catch (error) {
    socket.destroy()
    if (signal?.aborted) throw abortError(hostPort(host, port), signal.reason)
    throw error
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

export interface ProxyConnectorOptions extends ProxyTunnelOptions {
  /** TLS over the tunnel (mqtts://): the same settings as a direct TLS connection; host names the server. */
  tls?: Omit<TlsConnectorOptions, 'host' | 'port'>
}

/** MQTT over TCP or TLS through a proxy. */
export function proxyConnector(options: ProxyConnectorOptions): TransportConnector {
  const target = hostPort(options.host, options.port)
  return async (handlers, signal) => {
    const tunnel = await openProxyTunnel(options, signal)
    if (options.tls === undefined) {
      // The tunnel's error listener from the handshake gives way to the transport's own.
      tunnel.removeAllListeners('error')
      return adaptSocket(
        tunnel,
        { target, classify: (error, phase) => classifyNetError(error, phase, target) },
        handlers,
      )
    }
    try {
      return await tlsConnector({ ...options.tls, host: options.host, port: options.port }, tunnel)(handlers, signal)
    } catch (error) {
      tunnel.destroy()
      throw error
    }
  }
}
