// The options of connect() / createClient(), and how they become the session's options.
import type { Properties, ProtocolVersion, QoS } from '../packet/types.js'
import type { Authenticator, QueueOverflow, SessionOptions } from '../session/api.js'
import type { SessionStore } from '../session/store.js'
import type { ProxyOption } from '../transport/proxy-config.js'
import type { TlsConnectorOptions } from '../transport/tls-node.js'
import type { TransportConnector } from '../transport/types.js'
import type { WebSocketOptions } from '../transport/websocket-options.js'
import type { BackoffOptions } from './backoff.js'
import { InvalidArgumentError } from './errors.js'
import type { Logger } from './logger.js'
import { type Payload, toPayloadBytes } from './payload.js'
import type { ServerSelectionOptions } from './servers.js'

export interface ReconnectOptions extends BackoffOptions {
  /**
   * Also retry the first connect() (transport errors, timeouts, non-fatal refusals) with the same backoff;
   * its promise then resolves at the first success. Default false: the first connect() fails fast.
   */
  initial?: boolean
  /** Keep retrying after a fatal refusal (bad credentials, not authorised, banned...). Default false. */
  onFatal?: boolean
}

/** TLS settings for mqtts:// (Node). rejectUnauthorized: false is Paho's tls_insecure_set(True). */
export type TlsOptions = Omit<TlsConnectorOptions, 'host' | 'port' | 'localAddress'>

export interface WillOptions {
  topic: string
  payload?: Payload
  qos?: QoS
  retain?: boolean
  /** MQTT 5 will properties (willDelayInterval, messageExpiryInterval, contentType, ...). */
  properties?: Properties
}

/** `servers`, `followServerReference` and `srvResolver` are in ServerSelectionOptions (servers.ts). */
export interface ClientOptions extends ServerSelectionOptions {
  /** Default: 'petrel-' and 8 random hex digits. */
  clientId?: string
  /** Pin 3 (MQTT 3.1), 4 (3.1.1) or 5. Default: 5, falling back to 4 then 3 when the server refuses the version. */
  protocolVersion?: ProtocolVersion
  /** Seconds. Default 60; 0 disables keepalive. */
  keepalive?: number
  /** Clean Session / Clean Start on the first connection of this client. Default true. */
  clean?: boolean
  /** mqtt_as's `clean_init`: the same as `clean` (give one of the two). */
  cleanInit?: boolean
  /** MQTT 5 Session Expiry Interval, seconds (a CONNECT property). */
  sessionExpiryInterval?: number
  /** Overrides the user name given in the URL. */
  username?: string
  /** Overrides the password given in the URL. */
  password?: string | Uint8Array
  will?: WillOptions
  /** false disables automatic reconnection. Default: on, 1000 ms doubling up to 30000 ms, jitter 0.5. */
  reconnect?: false | true | ReconnectOptions
  /** Milliseconds from opening the transport to CONNACK. Default 30000. */
  connectTimeout?: number
  /**
   * Milliseconds an expected answer may take (mqtt_as's `response_time`): an unanswered PUBLISH / PUBREL /
   * SUBSCRIBE with nothing received for this long triggers a PINGREQ probe, and a PINGREQ unanswered for
   * this long drops the connection (then the client reconnects and the session re-sends). Default: half
   * the ping interval, at most 30 s.
   */
  responseTimeout?: number
  /** Milliseconds: ping after this much idleness even when the keepalive is longer (mqtt_as's `ping_interval`). */
  pingInterval?: number
  /** Outgoing QoS 1/2 messages in flight at once. Default 65,535 in MQTT 5, 20 in 3.1 / 3.1.1 (as Paho); always bounded by the server's Receive Maximum. */
  maxInflight?: number
  /** Outgoing messages waiting behind the in-flight window (offline queue); default 0 = unlimited. */
  maxQueued?: number
  /** Payload bytes plus topic characters of those messages; default 0 = unlimited. */
  maxQueuedBytes?: number
  /**
   * When the queue is full: 'reject' (default: the new publish rejects with ERR_QUEUE_FULL), 'drop-newest'
   * (it rejects with ERR_DROPPED), 'drop-oldest' (the oldest never-sent queued message rejects with ERR_DROPPED).
   */
  queueOverflow?: QueueOverflow
  /** Messages held while no message listener, handler or iterator is attached. Default 1000. */
  maxHeldMessages?: number
  /** Where session state is kept (default: memory). */
  store?: SessionStore
  /** TLS options for mqtts:// URLs. */
  tls?: TlsOptions
  /** WebSocket options for ws:// and wss:// URLs (path and query come from the URL; wss:// also uses `tls`). */
  ws?: WebSocketOptions
  /**
   * Proxy for the connection (Node): 'socks5://host:1080', 'http://user:pass@host:3128', an object, or false
   * to ignore the environment. Default: the mqtt_proxy environment variable, unless no_proxy lists the host.
   */
  proxy?: ProxyOption
  /** console-like or pino-like logger. Default: none (use the 'log' event). */
  logger?: Logger
  /** MQTT 5 CONNECT properties. */
  properties?: Properties
  /**
   * MQTT 3.1 / 3.1.1: connect as a bridge (protocol level 0x83 / 0x84): Mosquitto then sends none of this
   * client's own messages back and keeps their retain flag. MQTT 5 connections ignore it (use noLocal and
   * retainAsPublished on the subscriptions).
   */
  bridge?: boolean
  /** The application acks QoS 1/2 messages itself with message.ack(). Default false. */
  manualAck?: boolean
  /** Re-send remembered subscriptions when the server has no session after a reconnect. Default true. */
  resubscribe?: boolean
  /** Assign outgoing topic aliases automatically (MQTT 5). Session default when unset. */
  autoTopicAlias?: boolean
  /**
   * Clean Session / Clean Start for reconnections — mqtt_as's `clean` (our `clean` is its `clean_init`).
   * Default: false when a session is kept (clean: false in 3.1.1, a session expiry in MQTT 5), else true.
   */
  cleanOnReconnect?: boolean
  /** MQTT 5 enhanced authentication. */
  authenticator?: Authenticator
  /** Overrides the host of the URL (or replaces the URL). */
  host?: string
  /** Overrides the port of the URL. */
  port?: number
  /** Local address to bind the socket to. */
  bindAddress?: string
  /** A custom way to open the byte pipe (tests, browsers, exotic transports). Replaces the URL's transport. */
  transport?: TransportConnector
}

/** Reconnect policy with defaults applied, or false. */
export function reconnectPolicy(option: ClientOptions['reconnect']): ReconnectOptions | false {
  if (option === false) return false
  if (option === true || option === undefined) return {}
  return option
}

function randomClientId(): string {
  const bytes = new Uint8Array(4)
  globalThis.crypto.getRandomValues(bytes)
  return `petrel-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

const utf8 = new TextEncoder()

/** The session's options from the client's (credentials already merged from the URL). Throws on bad input. */
export function sessionOptions(options: ClientOptions): SessionOptions {
  const properties =
    options.sessionExpiryInterval === undefined
      ? options.properties
      : { ...options.properties, sessionExpiryInterval: options.sessionExpiryInterval }
  const { password, will } = options
  if (options.clean !== undefined && options.cleanInit !== undefined && options.clean !== options.cleanInit) {
    throw new InvalidArgumentError('clean and cleanInit are the same option; they disagree')
  }
  return {
    clientId: options.clientId ?? randomClientId(),
    clientIdGenerated: options.clientId === undefined,
    protocolVersion: options.protocolVersion,
    clean: options.clean ?? options.cleanInit,
    cleanOnReconnect: options.cleanOnReconnect,
    keepalive: options.keepalive,
    responseTimeout: options.responseTimeout,
    pingInterval: options.pingInterval,
    username: options.username,
    password: typeof password === 'string' ? utf8.encode(password) : password,
    will:
      will === undefined
        ? undefined
        : {
            topic: will.topic,
            payload: toPayloadBytes(will.payload),
            qos: will.qos ?? 0,
            retain: will.retain ?? false,
            properties: will.properties,
          },
    properties,
    maxInflight: options.maxInflight,
    maxQueued: options.maxQueued,
    maxQueuedBytes: options.maxQueuedBytes,
    queueOverflow: options.queueOverflow,
    autoTopicAlias: options.autoTopicAlias,
    manualAck: options.manualAck,
    authenticator: options.authenticator,
    store: options.store,
    bridge: options.bridge,
  }
}
