// What the Paho facade's setters accumulate (will, credentials, TLS, WebSocket, proxy, limits...), turned
// into a broker URL and the Client's options when connect() creates the underlying Client.
import type { SecureContext } from 'node:tls'
import { ClientStateError, InvalidArgumentError } from '../client/errors.js'
import type { ClientOptions, TlsOptions, WillOptions } from '../client/options.js'
import type { Payload } from '../client/payload.js'
import {
  brokerUrl,
  checkProtocol,
  type PahoTlsOptions,
  type Transport,
  toTlsOptions,
} from '../helpers/connect-options.js'
import { validateTopicName } from '../packet/topic.js'
import type { Properties, ProtocolVersion, QoS } from '../packet/types.js'
import type { WebSocketHeaders } from '../transport/websocket-options.js'
import { MQTT_CLEAN_START_FIRST_ONLY } from './constants.js'

/** The arguments of connect() / connectAsync(), remembered for reconnect(). */
export interface ConnectTarget {
  host: string
  port: number
  /** Seconds. */
  keepalive: number
  bindAddress: string
  /** MQTT 5: true, false or MQTT_CLEAN_START_FIRST_ONLY. */
  cleanStart: boolean | typeof MQTT_CLEAN_START_FIRST_ONLY
  properties: Properties | undefined
}

/** The checks of willSet() and publish(): Paho raises ValueError for a bad topic or QoS. */
export function checkMessage(topic: string, qos: QoS): void {
  validateTopicName(topic)
  if (qos !== 0 && qos !== 1 && qos !== 2) throw new InvalidArgumentError(`invalid QoS ${String(qos)}`)
}

export class PahoSettings {
  clientId: string
  /** MQTT 3.1 / 3.1.1 Clean Session (Paho: not allowed with MQTT 5). */
  cleanSession: boolean | undefined
  readonly protocol: ProtocolVersion
  readonly transport: Transport
  manualAck: boolean
  will: WillOptions | undefined
  username: string | undefined
  password: string | undefined
  tls: TlsOptions | undefined
  wsPath = '/mqtt'
  wsHeaders: WebSocketHeaders | ((defaults: WebSocketHeaders) => WebSocketHeaders) | undefined
  proxy: ClientOptions['proxy']
  /** Seconds, as in Paho. */
  reconnectMinDelay = 1
  reconnectMaxDelay = 120
  maxInflight: number | undefined
  maxQueued: number | undefined
  /** enableBridgeMode(): the CONNECT bridge bit in 3.1 / 3.1.1, No Local + Retain As Published in 5. */
  bridgeMode = false

  constructor(
    clientId: string,
    cleanSession: boolean | undefined,
    protocol: number,
    transport: Transport,
    manualAck: boolean,
  ) {
    this.protocol = checkProtocol(protocol)
    if (!['tcp', 'websockets', 'unix'].includes(transport)) {
      throw new InvalidArgumentError(`unknown transport '${transport}' (tcp, websockets, unix)`)
    }
    if (this.protocol === 5 && cleanSession !== undefined) {
      throw new InvalidArgumentError('cleanSession is for MQTT 3.1 / 3.1.1: use cleanStart in connect() with MQTTv5')
    }
    if (cleanSession === false && clientId === '') {
      throw new InvalidArgumentError('a persistent session (cleanSession false) needs a client id')
    }
    this.clientId = clientId
    this.cleanSession = cleanSession
    this.transport = transport
    this.manualAck = manualAck
  }

  setWill(topic: string, payload: Payload, qos: QoS, retain: boolean, properties: Properties | undefined): void {
    checkMessage(topic, qos)
    this.will = { topic, payload, qos, retain, properties }
  }

  setTls(tls: PahoTlsOptions | TlsOptions): void {
    this.tls = toTlsOptions(tls)
  }

  setTlsContext(context: SecureContext | undefined): void {
    this.tls = context === undefined ? {} : { secureContext: context }
  }

  setTlsInsecure(insecure: boolean): void {
    if (this.tls === undefined) throw new ClientStateError('call tlsSet() or tlsSetContext() before tlsInsecureSet()')
    this.tls = { ...this.tls, rejectUnauthorized: !insecure }
  }

  setWsOptions(path: string, headers: PahoSettings['wsHeaders']): void {
    if (this.transport !== 'websockets') throw new ClientStateError("wsSetOptions needs transport 'websockets'")
    this.wsPath = path
    this.wsHeaders = headers
  }

  setReconnectDelay(minDelay: number, maxDelay: number): void {
    if (!(minDelay > 0) || !(maxDelay >= minDelay)) {
      throw new InvalidArgumentError('reconnectDelaySet needs 0 < minDelay <= maxDelay (seconds)')
    }
    this.reconnectMinDelay = minDelay
    this.reconnectMaxDelay = maxDelay
  }

  url(target: ConnectTarget): string {
    return brokerUrl(this.transport, target.host, target.port, this.tls !== undefined, this.wsPath)
  }

  /** The Client's options: reconnection stays with the facade (its loop), so the Client's own is off. */
  clientOptions(target: ConnectTarget): ClientOptions {
    const options: ClientOptions = {
      protocolVersion: this.protocol,
      keepalive: target.keepalive,
      reconnect: false,
      manualAck: this.manualAck,
      ...this.#cleanOptions(target),
    }
    if (this.clientId !== '') options.clientId = this.clientId
    if (this.will !== undefined) options.will = this.will
    if (this.username !== undefined) options.username = this.username
    if (this.password !== undefined) options.password = this.password
    if (this.tls !== undefined) options.tls = this.tls
    if (this.wsHeaders !== undefined) options.ws = { headers: this.wsHeaders }
    if (this.proxy !== undefined) options.proxy = this.proxy
    if (this.maxInflight !== undefined) options.maxInflight = this.maxInflight
    if (this.maxQueued !== undefined) options.maxQueued = this.maxQueued
    if (this.bridgeMode && this.protocol !== 5) options.bridge = true
    if (target.bindAddress !== '') options.bindAddress = target.bindAddress
    if (target.properties !== undefined) options.properties = target.properties
    return options
  }

  #cleanOptions(target: ConnectTarget): Pick<ClientOptions, 'clean' | 'cleanOnReconnect'> {
    if (this.protocol !== 5) {
      const clean = this.cleanSession ?? true
      return { clean, cleanOnReconnect: clean }
    }
    if (target.cleanStart === MQTT_CLEAN_START_FIRST_ONLY) return { clean: true, cleanOnReconnect: false }
    return { clean: target.cleanStart === true, cleanOnReconnect: target.cleanStart === true }
  }
}
