// Proxy settings: the `proxy` option (a URL or an object) and the environment (`mqtt_proxy`, `no_proxy`),
// turned into one ProxyConfig. Pure: the caller passes the environment in.
//
// Like Paho (which reads Python's getproxies(), i.e. the `mqtt_proxy` variable), an environment proxy applies
// to MQTT connections only: http_proxy / https_proxy are for web traffic and are not read. Lower-case names
// win over upper-case ones, as curl does. `no_proxy` (curl's rules) lists hosts that connect directly.
import { TransportError } from './errors.js'

export type ProxyProtocol = 'http' | 'socks4' | 'socks4a' | 'socks5'

export interface ProxyConfig {
  /**
   * 'http': HTTP CONNECT. 'socks4': SOCKS4, the host name resolved here. 'socks4a' and 'socks5': the proxy
   * resolves the host name (Paho's proxy_rdns=True).
   */
  protocol: ProxyProtocol
  host: string
  port: number
  /** HTTP Basic credentials, the SOCKS5 user name / password, or the SOCKS4 user id. */
  username?: string
  password?: string
}

/** The `proxy` option: 'socks5://host:1080', 'http://user:pass@host:3128', an object, or false for none. */
export type ProxyOption = string | ProxyConfig | false

const PROTOCOLS: Record<string, ProxyProtocol> = {
  http: 'http',
  socks: 'socks5', // Paho's mqtt_proxy=socks://... means SOCKS5
  socks4: 'socks4',
  socks4a: 'socks4a',
  socks5: 'socks5',
  socks5h: 'socks5',
}

/** curl's default proxy port, for every kind. */
const DEFAULT_PROXY_PORT = 1080

function invalid(text: string, why: string, cause?: unknown): TransportError {
  return new TransportError('ERR_INVALID_URL', `invalid proxy '${text}': ${why}`, { cause })
}

/** Parses a proxy URL such as socks5://host:1080 or http://user:password@host:3128. */
export function parseProxyUrl(text: string): ProxyConfig {
  let url: URL
  try {
    url = new URL(text)
  } catch (error) {
    throw invalid(text, 'not a URL (expected e.g. socks5://host:1080 or http://host:3128)', error)
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase()
  const protocol = PROTOCOLS[scheme]
  if (protocol === undefined) throw invalid(text, `unknown scheme '${scheme}' (use http, socks4, socks4a or socks5)`)
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  if (host === '') throw invalid(text, 'missing host')
  const config: ProxyConfig = { protocol, host, port: url.port === '' ? DEFAULT_PROXY_PORT : Number(url.port) }
  try {
    if (url.username !== '') config.username = decodeURIComponent(url.username)
    if (url.password !== '') config.password = decodeURIComponent(url.password)
  } catch (error) {
    throw invalid(text, 'bad percent-encoding in the credentials', error)
  }
  return config
}

function lookup(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name] ?? env[name.toUpperCase()]
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

/** 'host', 'host:port', '[::1]:port' or a bare IPv6 address → host (without brackets) and port. */
function splitHostPort(entry: string): [string, number | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed !== null) return [bracketed[1] ?? '', bracketed[2] === undefined ? undefined : Number(bracketed[2])]
  const withPort = /^([^:]+):(\d+)$/.exec(entry)
  if (withPort !== null) return [withPort[1] ?? '', Number(withPort[2])]
  return [entry, undefined]
}

/**
 * Does `no_proxy` exempt host:port? Entries are separated by commas or spaces: '*' (everything), a host name
 * (also matches its subdomains; a leading '.' is ignored), an IP address (exactly), each optionally ':port'.
 */
export function bypassesProxy(host: string, port: number, noProxy: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase()
    if (entry === '') continue
    if (entry === '*') return true
    const [entryHost, entryPort] = splitHostPort(entry)
    if (entryPort !== undefined && entryPort !== port) continue
    const bare = entryHost.replace(/^\*?\./, '')
    if (name === bare || name.endsWith(`.${bare}`)) return true
  }
  return false
}

/**
 * The proxy to use for host:port: the option when given (false: none), else `mqtt_proxy` from `env` unless
 * `no_proxy` exempts the host. Throws 'ERR_INVALID_URL' for a malformed proxy URL.
 */
export function selectProxy(
  option: ProxyOption | undefined,
  host: string,
  port: number,
  env: Record<string, string | undefined> = {},
): ProxyConfig | undefined {
  if (option === false) return undefined
  if (typeof option === 'string') return parseProxyUrl(option)
  if (option !== undefined) {
    if (PROTOCOLS[option.protocol] === undefined) throw invalid(String(option.protocol), 'unknown proxy protocol')
    return option
  }
  const fromEnv = lookup(env, 'mqtt_proxy')
  if (fromEnv === undefined) return undefined
  const noProxy = lookup(env, 'no_proxy')
  if (noProxy !== undefined && bypassesProxy(host, port, noProxy)) return undefined
  return parseProxyUrl(fromEnv)
}
