// SOCKS4 / 4a / 5 through the optional `socks` package, run over a socket already connected to the proxy.
import { lookup } from 'node:dns/promises'
import { isIP, type Socket } from 'node:net'
import { TransportError } from './errors.js'
import { loadOptional } from './optional.js'
import type { ProxyConfig } from './proxy-config.js'

/** Resolves with a socket that is a byte pipe to host:port; rejects with 'ERR_PROXY' or 'ERR_DNS'. */
export async function socksHandshake(socket: Socket, proxy: ProxyConfig, host: string, port: number): Promise<Socket> {
  const { SocksClient } = await loadOptional('socks', 'SOCKS proxies', () => import('socks'))
  const via = `SOCKS proxy ${proxy.host}:${proxy.port}`
  let destination = host
  // SOCKS4 carries only an IPv4 address: resolve here. 4a and 5 let the proxy resolve the name.
  if (proxy.protocol === 'socks4' && isIP(host) === 0) {
    try {
      destination = (await lookup(host, { family: 4 })).address
    } catch (error) {
      throw new TransportError('ERR_DNS', `could not resolve ${host} for ${via}`, { cause: error })
    }
  }
  try {
    const { socket: tunnel } = await SocksClient.createConnection({
      command: 'connect',
      existing_socket: socket,
      destination: { host: destination, port },
      proxy: {
        host: proxy.host,
        port: proxy.port,
        type: proxy.protocol === 'socks5' ? 5 : 4,
        userId: proxy.username,
        password: proxy.password,
      },
    })
    return tunnel
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    throw new TransportError('ERR_PROXY', `${via} refused the tunnel to ${host}:${port}: ${why}`, { cause: error })
  }
}
