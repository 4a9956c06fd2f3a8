// Broker URLs → connection options. Browser-safe: only the WHATWG URL class, no Node imports.
//
// Accepted forms:
//   mqtt://host[:port]   (also tcp://)            default port 1883
//   mqtts://host[:port]  (also ssl://, tls://)    default port 8883
//   ws://host[:port][/path][?query]               default port 80,  default path /mqtt
//   wss://host[:port][/path][?query]              default port 443, default path /mqtt
//   unix:///absolute/path/to/socket (canonical; mqtt+unix:///path is accepted too)
//   mqtt+srv://domain, mqtts+srv://domain         brokers found through DNS SRV records (Node)
// Credentials may be given as user:password@ (percent-decoded). IPv6 literals go in brackets: [::1].
//
// The WebSocket path defaults to /mqtt only when the URL has no path at all, as Paho does and as most
// brokers expect; an explicit "/" is kept ("ws://host/" connects to /). MQTT.js uses "/" by default.
import { TransportError } from './errors.js'

interface CommonAddress {
  username?: string
  password?: string
}

export interface TcpAddress extends CommonAddress {
  kind: 'tcp'
  /** true for mqtts:// (TLS over TCP). */
  tls: boolean
  /** Host name or IP address, IPv6 without brackets. */
  host: string
  port: number
}

export interface WebSocketAddress extends CommonAddress {
  kind: 'ws'
  /** true for wss://. */
  tls: boolean
  host: string
  port: number
  /** Path and query string, always starting with '/'. */
  path: string
  /** The URL to hand to a WebSocket constructor (without credentials). */
  url: string
}

export interface UnixAddress extends CommonAddress {
  kind: 'unix'
  /** Absolute path of the socket file. */
  path: string
}

export interface SrvAddress extends CommonAddress {
  kind: 'srv'
  /** true for mqtts+srv:// (_secure-mqtt._tcp records, TLS to the targets). */
  tls: boolean
  /** The domain whose SRV records name the brokers. */
  domain: string
}

export type BrokerAddress = TcpAddress | WebSocketAddress | UnixAddress | SrvAddress

const SCHEMES: Record<string, { kind: BrokerAddress['kind']; tls: boolean; port: number }> = {
  mqtt: { kind: 'tcp', tls: false, port: 1883 },
  tcp: { kind: 'tcp', tls: false, port: 1883 },
  mqtts: { kind: 'tcp', tls: true, port: 8883 },
  ssl: { kind: 'tcp', tls: true, port: 8883 },
  tls: { kind: 'tcp', tls: true, port: 8883 },
  ws: { kind: 'ws', tls: false, port: 80 },
  wss: { kind: 'ws', tls: true, port: 443 },
  unix: { kind: 'unix', tls: false, port: 0 },
  'mqtt+unix': { kind: 'unix', tls: false, port: 0 },
  'mqtt+srv': { kind: 'srv', tls: false, port: 0 },
  'mqtts+srv': { kind: 'srv', tls: true, port: 0 },
}

export const DEFAULT_WEBSOCKET_PATH = '/mqtt'

function invalid(text: string, why: string, cause?: unknown): TransportError {
  return new TransportError('ERR_INVALID_URL', `invalid broker URL '${text}': ${why}`, { cause })
}

function decode(text: string, component: string): string {
  try {
    return decodeURIComponent(component)
  } catch (error) {
    throw invalid(text, `bad percent-encoding in '${component}'`, error)
  }
}

/** Parses a broker URL. Throws a `TransportError` with code 'ERR_INVALID_URL' when it cannot. */
export function parseBrokerUrl(text: string): BrokerAddress {
  let url: URL
  try {
    url = new URL(text)
  } catch (error) {
    throw invalid(text, 'not a URL (expected e.g. mqtt://host:1883)', error)
  }
  const schemeName = url.protocol.slice(0, -1).toLowerCase()
  const scheme = SCHEMES[schemeName]
  if (scheme === undefined) {
    throw invalid(text, `unknown scheme '${schemeName}' (use mqtt, mqtts, ws, wss, unix, mqtt+srv or mqtts+srv)`)
  }
  const credentials: CommonAddress = {}
  if (url.username !== '') credentials.username = decode(text, url.username)
  if (url.password !== '') credentials.password = decode(text, url.password)

  if (scheme.kind === 'unix') {
    if (url.hostname !== '') throw invalid(text, 'a unix socket URL has no host: write unix:///absolute/path')
    const path = decode(text, url.pathname)
    if (!path.startsWith('/') || path === '/') throw invalid(text, 'a unix socket URL needs an absolute path')
    return { kind: 'unix', path, ...credentials }
  }

  // URL keeps IPv6 literals in brackets (sockets want them bare) and the case of non-special schemes' hosts.
  const hostname = url.hostname.toLowerCase()
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname
  if (host === '') throw invalid(text, 'missing host')
  if (scheme.kind === 'srv') {
    if (url.port !== '' || url.pathname.length > 1)
      throw invalid(text, 'an SRV URL names a domain only: no port or path')
    return { kind: 'srv', tls: scheme.tls, domain: host, ...credentials }
  }
  const port = url.port === '' ? scheme.port : Number(url.port)
  if (port === 0) throw invalid(text, 'port 0 is not a broker port')

  if (scheme.kind === 'tcp') return { kind: 'tcp', tls: scheme.tls, host, port, ...credentials }

  const path = hasExplicitPath(text) ? url.pathname + url.search : DEFAULT_WEBSOCKET_PATH + url.search
  return {
    kind: 'ws',
    tls: scheme.tls,
    host,
    port,
    path,
    url: webSocketUrl(scheme.tls, host, port, path),
    ...credentials,
  }
}

/** host:port, with an IPv6 literal in brackets ([::1]:1883). */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`
}

function webSocketUrl(tls: boolean, host: string, port: number, path: string): string {
  return `${tls ? 'wss' : 'ws'}://${hostPort(host, port)}${path}`
}

/**
 * The same kind of address (scheme, TLS, WebSocket path) at another host and port — where an MQTT 5 Server
 * Reference points. Without a port, the scheme's default. A unix socket cannot be moved: undefined.
 */
export function relocate(
  address: BrokerAddress,
  host: string,
  port?: number,
): TcpAddress | WebSocketAddress | undefined {
  if (address.kind === 'unix') return undefined
  const { tls } = address
  if (address.kind !== 'ws') return { kind: 'tcp', tls, host, port: port ?? (tls ? 8883 : 1883) }
  const to = port ?? (tls ? 443 : 80)
  return { ...address, host, port: to, url: webSocketUrl(tls, host, to, address.path) }
}

/** URL normalises "ws://h" to pathname "/", so look at the text: is there a "/" after the authority? */
function hasExplicitPath(text: string): boolean {
  const afterScheme = text.slice(text.indexOf('//') + 2)
  const authorityEnd = afterScheme.search(/[/?#]/)
  return authorityEnd !== -1 && afterScheme[authorityEnd] === '/'
}
