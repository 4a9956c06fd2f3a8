// connect() and createClient(): turn a URL and options into a Client with the right transport and session.
import { Session } from '../session/session.js'
import type { TransportConnector } from '../transport/types.js'
import { type BrokerAddress, parseBrokerUrl } from '../transport/url.js'
import { Client } from './client.js'
import { connectorFor } from './connectors-node.js'
import { InvalidArgumentError } from './errors.js'
import { type ClientOptions, sessionOptions } from './options.js'

/** Where to connect: the URL (with host / port overridden by the options), or the options alone. */
function resolveAddress(url: string | URL | undefined, options: ClientOptions): BrokerAddress | undefined {
  if (url === undefined) {
    if (options.host === undefined) return undefined
    return {
      kind: 'tcp',
      tls: options.tls !== undefined,
      host: options.host,
      port: options.port ?? (options.tls ? 8883 : 1883),
    }
  }
  const address = parseBrokerUrl(String(url))
  if (address.kind === 'unix') return address
  return { ...address, host: options.host ?? address.host, port: options.port ?? address.port }
}

/**
 * Makes a client without connecting it; `client.connect()` connects. `url` is mqtt://, mqtts://, unix:///path
 * (credentials may be in it; `username` / `password` options take precedence). Throws a typed error for an
 * invalid URL or options.
 */
export function createClient(url?: string | URL | ClientOptions, options: ClientOptions = {}): Client {
  if (typeof url === 'object' && !(url instanceof URL)) return createClient(undefined, url)
  const address = resolveAddress(url, options)
  const merged: ClientOptions = {
    ...options,
    username: options.username ?? address?.username,
    password: options.password ?? address?.password,
  }
  let connector: TransportConnector
  if (options.transport !== undefined) connector = options.transport
  else if (address !== undefined) connector = connectorFor(address, merged)
  else throw new InvalidArgumentError('connect needs a broker URL, a host, or a transport')
  return new Client(merged, {
    createSession: (session) => new Session(session),
    connector,
    sessionOptions: sessionOptions(merged),
  })
}

/**
 * Creates a client and connects it. Resolves once the server accepted the connection; rejects with the
 * refusal (ConnectError, 'ERR_CONNECT_REFUSED'), a transport error, or ConnectTimeoutError — and then
 * leaves nothing behind.
 */
export async function connect(url?: string | URL | ClientOptions, options: ClientOptions = {}): Promise<Client> {
  const client = createClient(url, options)
  try {
    await client.connect()
  } catch (error) {
    await client.close()
    throw error
  }
  return client
}
