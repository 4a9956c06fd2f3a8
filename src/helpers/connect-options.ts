// Paho-style connection options (hostname, port, auth, tls, protocol, transport...) turned into a broker URL
// and the Client's options. Shared by the one-shot helpers and the Paho facade. Node only (reads PEM files).
import { readFileSync } from 'node:fs'
import { InvalidArgumentError } from '../client/errors.js'
import type { ClientOptions, TlsOptions } from '../client/options.js'
import type { Payload } from '../client/payload.js'
import type { Properties, ProtocolVersion, QoS } from '../packet/types.js'

/** Paho's protocol constants: MQTT 3.1, 3.1.1 and 5.0 are protocol levels 3, 4 and 5. */
export const MQTTv31 = 3
export const MQTTv311 = 4
export const MQTTv5 = 5

export type Transport = 'tcp' | 'websockets' | 'unix'

/** Paho's `tls` dictionary, camelCased. Paths are read when connecting; `insecure` skips verification. */
export interface PahoTlsOptions {
  /** Path of the CA certificates (PEM) to trust; default: Node's bundled roots. */
  caCerts?: string
  /** Path of the client certificate (PEM). */
  certfile?: string
  /** Path of the client private key (PEM). */
  keyfile?: string
  keyfilePassword?: string
  /** Accept any server certificate (Paho's tls_insecure_set(True)): for development only. */
  insecure?: boolean
  /** ALPN protocol names. */
  alpnProtocols?: string[]
}

/** Paho's will dictionary: {topic, payload, qos, retain}, plus MQTT 5 properties (publish.multiple's messages too). */
export interface PahoWill {
  topic: string
  payload?: Payload
  qos?: QoS
  retain?: boolean
  properties?: Properties
}

/** The connection options of Paho's publish.single / subscribe.simple, camelCased. */
export interface ConnectionOptions {
  /** Default 'localhost' (the socket path for transport 'unix'). */
  hostname?: string
  /** Default 1883 (8883 with tls, 80 for websockets). */
  port?: number
  /** Default '' as in Paho: a random id is generated. */
  clientId?: string
  /** Seconds. Default 60. */
  keepalive?: number
  will?: PahoWill
  auth?: { username: string; password?: string }
  /** Paho's tls dictionary, or Petrel's TLS options (ca / cert / key as PEM text). */
  tls?: PahoTlsOptions | TlsOptions
  /** MQTTv31, MQTTv311 or MQTTv5 (3, 4, 5). Default MQTTv311, as in Paho. */
  protocol?: ProtocolVersion
  /** Default 'tcp'. */
  transport?: Transport
  /** Proxy settings, handed to the Client's `proxy` option. */
  proxy?: ClientOptions['proxy']
  /** Default true. */
  cleanSession?: boolean
  /** MQTT 5 CONNECT properties. */
  properties?: Properties
  /** Milliseconds to wait for CONNACK. Default 30000. */
  connectTimeout?: number
  /** WebSocket path for transport 'websockets'. Default '/mqtt'. */
  wsPath?: string
}

function isPahoTls(tls: PahoTlsOptions | TlsOptions): tls is PahoTlsOptions {
  return ['caCerts', 'certfile', 'keyfile', 'keyfilePassword', 'insecure', 'alpnProtocols'].some((key) => key in tls)
}

/** Paho's tls dictionary → the Client's TLS options (reading the PEM files now). */
export function toTlsOptions(tls: PahoTlsOptions | TlsOptions): TlsOptions {
  if (!isPahoTls(tls)) return tls
  const read = (path: string | undefined) => (path === undefined ? undefined : readFileSync(path, 'utf8'))
  const options: TlsOptions = {}
  const ca = read(tls.caCerts)
  const cert = read(tls.certfile)
  const key = read(tls.keyfile)
  if (ca !== undefined) options.ca = ca
  if (cert !== undefined) options.cert = cert
  if (key !== undefined) options.key = key
  if (tls.keyfilePassword !== undefined) options.passphrase = tls.keyfilePassword
  if (tls.insecure) options.rejectUnauthorized = false
  if (tls.alpnProtocols !== undefined) options.alpn = tls.alpnProtocols
  return options
}

/** A will or a message with Paho's defaults filled in: QoS 0, not retained. */
export function withMessageDefaults(message: PahoWill): PahoWill & { qos: QoS; retain: boolean } {
  return {
    topic: message.topic,
    payload: message.payload,
    qos: message.qos ?? 0,
    retain: message.retain ?? false,
    properties: message.properties,
  }
}

/** The broker URL for a host, port, transport and TLS choice. */
export function brokerUrl(
  transport: Transport,
  host: string,
  port: number | undefined,
  tls: boolean,
  wsPath = '/mqtt',
): string {
  if (transport === 'unix') return `unix://${host.startsWith('/') ? '' : '/'}${host}`
  const bracketed = host.includes(':') ? `[${host}]` : host
  if (transport === 'websockets') {
    return `${tls ? 'wss' : 'ws'}://${bracketed}:${port ?? (tls ? 443 : 80)}${wsPath.startsWith('/') ? wsPath : `/${wsPath}`}`
  }
  if (transport !== 'tcp')
    throw new InvalidArgumentError(`unknown transport '${String(transport)}' (tcp, websockets, unix)`)
  return `${tls ? 'mqtts' : 'mqtt'}://${bracketed}:${port ?? (tls ? 8883 : 1883)}`
}

export function checkProtocol(protocol: number): ProtocolVersion {
  if (protocol === 3 || protocol === 4 || protocol === 5) return protocol
  throw new InvalidArgumentError(`unknown protocol ${protocol} (use MQTTv31, MQTTv311 or MQTTv5)`)
}

/** The URL and Client options for Paho-style connection options. Throws InvalidArgumentError on bad input. */
export function resolveConnection(options: ConnectionOptions): { url: string; clientOptions: ClientOptions } {
  const tls = options.tls === undefined ? undefined : toTlsOptions(options.tls)
  const url = brokerUrl(
    options.transport ?? 'tcp',
    options.hostname ?? 'localhost',
    options.port,
    tls !== undefined,
    options.wsPath,
  )
  const clientOptions: ClientOptions = {
    protocolVersion: checkProtocol(options.protocol ?? MQTTv311),
    keepalive: options.keepalive ?? 60,
    clean: options.cleanSession ?? true,
  }
  if (options.clientId) clientOptions.clientId = options.clientId
  if (options.will !== undefined) clientOptions.will = withMessageDefaults(options.will)
  if (options.auth !== undefined) {
    clientOptions.username = options.auth.username
    if (options.auth.password !== undefined) clientOptions.password = options.auth.password
  }
  if (tls !== undefined) clientOptions.tls = tls
  if (options.proxy !== undefined) clientOptions.proxy = options.proxy
  if (options.properties !== undefined) clientOptions.properties = options.properties
  if (options.connectTimeout !== undefined) clientOptions.connectTimeout = options.connectTimeout
  return { url, clientOptions }
}
