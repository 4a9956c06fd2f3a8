// connect() and createClient(): turn a URL and options into a Client with the right transport and session.
import { Session } from '../session/session.js'
import type { TransportConnector } from '../transport/types.js'
import { type BrokerAddress, hostPort, parseBrokerUrl, relocate } from '../transport/url.js'
import { Client } from './client.js'
import { connectorFor } from './connectors-node.js'
import { InvalidArgumentError } from './errors.js'
import { type ClientOptions, sessionOptions } from './options.js'
import { Failover, type Server, type ServerOptions } from './servers.js'

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
  if (address.kind === 'unix' || address.kind === 'srv') return address
  return { ...address, host: options.host ?? address.host, port: options.port ?? address.port }
}

function label(address: BrokerAddress): string {
  if (address.kind === 'ws') return address.url
  if (address.kind === 'unix') return `unix://${address.path}`
  const scheme = address.tls ? 'mqtts' : 'mqtt'
  if (address.kind === 'srv') return `${scheme}+srv://${address.domain}`
  return `${scheme}://${hostPort(address.host, address.port)}`
}

function serverAt(address: BrokerAddress, options: ClientOptions): Server {
  return {
    label: label(address),
    connector: connectorFor(address, options),
    relocate: (host, port) => {
      const moved = relocate(address, host, port)
      return moved && serverAt(moved, options)
    },
  }
}

/** The URL and the `servers` entries, each with its own options merged over the client's. */
function serverAddresses(
  address: BrokerAddress | undefined,
  options: ClientOptions,
): Array<{ address: BrokerAddress; options: ClientOptions }> {
  const list = address === undefined ? [] : [{ address, options }]
  for (const entry of options.servers ?? []) {
    const { url, ...own }: ServerOptions = typeof entry === 'string' || entry instanceof URL ? { url: entry } : entry
    list.push({ address: parseBrokerUrl(String(url)), options: { ...options, ...own } })
  }
  return list
}

/** Credentials in URLs must agree (every server gets the same CONNECT); the options take precedence. */
function credentials(addresses: BrokerAddress[], options: ClientOptions): Pick<ClientOptions, 'username' | 'password'> {
  const given = addresses.filter((a) => a.username !== undefined || a.password !== undefined)
  const first = given[0]
  if (given.some((a) => a.username !== first?.username || a.password !== first?.password)) {
    throw new InvalidArgumentError('the server URLs give different credentials: every server gets the same CONNECT')
  }
  return { username: options.username ?? first?.username, password: options.password ?? first?.password }
}

/**
 * Makes a client without connecting it; `client.connect()` connects. `url` is mqtt://, mqtts://, ws://, wss://,
 * unix:///path, mqtt+srv:// or mqtts+srv:// (credentials may be in it; `username` / `password` options take
 * precedence); `servers` adds brokers to fail over to. Throws a typed error for an invalid URL or options.
 */
export function createClient(url?: string | URL | ClientOptions, options: ClientOptions = {}): Client {
  if (typeof url === 'object' && !(url instanceof URL)) return createClient(undefined, url)
  const list = serverAddresses(resolveAddress(url, options), options)
  // Object.assign, not a spread: once V8's spread site goes megamorphic it gives every copy a hidden class of
  // its own (~260 B per client, kept as long as the client lives).
  const merged: ClientOptions = Object.assign(
    {},
    options,
    credentials(
      list.map((entry) => entry.address),
      options,
    ),
  )
  let servers: Server[]
  if (options.transport !== undefined) {
    if (options.servers !== undefined) throw new InvalidArgumentError('give either a transport or servers, not both')
    servers = [{ label: 'custom transport', connector: options.transport }]
  } else if (list.length > 0) {
    servers = list.map((entry) => serverAt(entry.address, entry.options))
  } else throw new InvalidArgumentError('connect needs a broker URL, a host, servers, or a transport')
  const failover =
    servers.length > 1 || options.followServerReference === true
      ? new Failover(servers, options.followServerReference === true)
      : undefined
  const connector: TransportConnector = failover?.connector ?? (servers[0] as Server).connector
  return new Client(merged, {
    createSession: (session) => new Session(session),
    connector,
    failover,
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
