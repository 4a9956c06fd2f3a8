// The Paho-compatible Client: Paho 2's methods and callbacks (camelCased) over Petrel's Client. Petrel's
// Client already runs on Node's event loop, so the "loop" calls do not pump a socket: loopStart() and
// loopForever() turn on Paho's automatic connection and reconnection (with reconnectDelaySet's backoff),
// and loopForever() returns a promise that settles when disconnect() is called.
import type { SecureContext } from 'node:tls'
import type { Client as PetrelClient } from '../client/client.js'
import { connectorFor } from '../client/connectors-node.js'
import { createClient } from '../client/create.js'
import { ClientStateError, InvalidArgumentError } from '../client/errors.js'
import type { ClientOptions, TlsOptions } from '../client/options.js'
import type { Payload } from '../client/payload.js'
import type { DisconnectEvent, Message } from '../client/types.js'
import type { PahoTlsOptions, Transport as TransportName } from '../helpers/connect-options.js'
import type { MqttError } from '../packet/errors.js'
import { MQTT_ERR } from '../packet/reason-codes.js'
import { validateTopicFilter } from '../packet/topic.js'
import type { Properties, QoS } from '../packet/types.js'
import type { Transport } from '../transport/types.js'
import { parseBrokerUrl } from '../transport/url.js'
import { PahoCallbacks } from './callbacks.js'
import { CallbackAPIVersion, MQTT_CLEAN_START_FIRST_ONLY, MQTTv311 } from './constants.js'
import { errorCodeFor, MQTTMessage, MQTTMessageInfo } from './message.js'
import { ReasonCode } from './reason-code.js'
import { type ConnectTarget, checkMessage, PahoSettings } from './settings.js'
import { lookupSrv } from './srv-node.js'
import { type QosOrOptions, type SubscribeTopic, subscriptionRequests } from './subscribe-args.js'

/** Paho 2's Client constructor arguments after callback_api_version, camelCased. */
export interface PahoClientOptions<U = unknown> {
  /** Default '': a random id. */
  clientId?: string
  /** MQTT 3.1 / 3.1.1 only (default true); MQTT 5 uses connect()'s cleanStart. */
  cleanSession?: boolean
  userdata?: U
  /** MQTTv31, MQTTv311 (default, as in Paho) or MQTTv5. */
  protocol?: number
  /** 'tcp' (default), 'websockets' or 'unix' (host is then the socket path). */
  transport?: TransportName
  /** The loops reconnect after a lost connection. Default true. */
  reconnectOnFailure?: boolean
  /** The application acks QoS 1/2 messages with ack(). Default false. */
  manualAck?: boolean
}

export type MessageCallback<U> = (client: Client<U>, userdata: U, message: MQTTMessage) => void
export type CleanStart = boolean | typeof MQTT_CLEAN_START_FIRST_ONLY

export class Client<U = unknown> extends PahoCallbacks<Client<U>, U> {
  #settings: PahoSettings
  #reconnectOnFailure: boolean
  #client: PetrelClient | undefined
  #target: ConnectTarget | undefined
  #socket: Transport | undefined
  readonly #handlers = new Map<string, MessageCallback<U>>()
  /** With manualAck: received QoS 1/2 messages not yet acked, by packet id. */
  readonly #unacked = new Map<number, Message>()
  #lastMid = 0
  #loop: 'off' | 'started' | 'forever' = 'off'
  #retryFirstConnection = false
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  #retryDelay: number | undefined
  #connecting: Promise<number> | undefined
  #connectedOnce = false
  #disconnectRequested = false
  #forever: { resolve(rc: number): void; reject(error: unknown): void } | undefined
  #lastDisconnect: DisconnectEvent | undefined
  #reportDisconnect = false

  /** `new Client(CallbackAPIVersion.VERSION2, { clientId, ... })`, or `new Client({ clientId, ... })`. */
  constructor(version?: CallbackAPIVersion | PahoClientOptions<U>, options: PahoClientOptions<U> = {}) {
    const opts = typeof version === 'object' ? version : options
    super(opts.userdata as U)
    if (typeof version === 'number' && version !== CallbackAPIVersion.VERSION2) {
      throw new InvalidArgumentError('only CallbackAPIVersion.VERSION2 is supported (reason codes and properties)')
    }
    this.#settings = new PahoSettings(
      opts.clientId ?? '',
      opts.cleanSession,
      opts.protocol ?? MQTTv311,
      opts.transport ?? 'tcp',
      opts.manualAck ?? false,
    )
    this.#reconnectOnFailure = opts.reconnectOnFailure ?? true
  }

  /** Paho's reinitialise: back to a fresh client (settings and connection dropped; callbacks kept). */
  async reinitialise(clientId = '', cleanSession?: boolean, userdata?: U): Promise<void> {
    this.#stopRetry()
    this.#disconnectRequested = true
    await this.#client?.close()
    this.#endForever(MQTT_ERR.SUCCESS)
    const { protocol, transport } = this.#settings
    this.#settings = new PahoSettings(clientId, cleanSession, protocol, transport, false)
    this.#client = undefined
    this.#target = undefined
    this.#loop = 'off'
    this.#unacked.clear()
    this.#handlers.clear()
    this.userDataSet(userdata as U)
  }

  // ---- settings (take effect at the next connection) -----------------------------------------------------

  willSet(topic: string, payload: Payload = null, qos: QoS = 0, retain = false, properties?: Properties): void {
    this.#settings.setWill(topic, payload, qos, retain, properties)
  }

  willClear(): void {
    this.#settings.will = undefined
  }

  usernamePwSet(username: string | undefined, password?: string): void {
    this.#settings.username = username
    this.#settings.password = password
  }

  /** Paho's tls_set: CA / certificate / key file paths (read now), or Petrel's TLS options. */
  tlsSet(tls: PahoTlsOptions | TlsOptions = {}): void {
    this.#settings.setTls(tls)
  }

  tlsSetContext(context?: SecureContext): void {
    this.#settings.setTlsContext(context)
  }

  /** true skips certificate verification (development only). Call after tlsSet(). */
  tlsInsecureSet(value: boolean): void {
    this.#settings.setTlsInsecure(value)
  }

  /** For transport 'websockets': the path (default '/mqtt') and extra headers, or a function of the defaults. */
  wsSetOptions(path = '/mqtt', headers?: PahoSettings['wsHeaders']): void {
    this.#settings.setWsOptions(path, headers)
  }

  /** Proxy settings, handed to Petrel's `proxy` option. */
  proxySet(options: ClientOptions['proxy']): void {
    this.#settings.proxy = options
  }

  /** Seconds between reconnection attempts of the loops: minDelay, doubling up to maxDelay. */
  reconnectDelaySet(minDelay = 1, maxDelay = 120): void {
    this.#settings.setReconnectDelay(minDelay, maxDelay)
  }

  maxInflightMessagesSet(inflight: number): void {
    if (!Number.isInteger(inflight) || inflight < 0) throw new InvalidArgumentError('inflight must be >= 0')
    this.#settings.maxInflight = inflight === 0 ? undefined : inflight
  }

  /** 0 means no limit of Paho's own; Petrel's queue stays bounded by its default. */
  maxQueuedMessagesSet(queueSize: number): void {
    if (!Number.isInteger(queueSize) || queueSize < 0) throw new InvalidArgumentError('queueSize must be >= 0')
    this.#settings.maxQueued = queueSize === 0 ? undefined : queueSize
  }

  manualAckSet(on: boolean): void {
    this.#settings.manualAck = on
  }

  /**
   * Paho's enable_bridge_mode, from the next connection on. MQTT 3.1 / 3.1.1: CONNECT carries the bridge bit
   * (protocol level 0x83 / 0x84), and Mosquitto then sends none of our own messages back and keeps their
   * retain flag. MQTT 5: subscriptions default to No Local and Retain As Published instead.
   */
  enableBridgeMode(): void {
    this.#settings.bridgeMode = true
  }

  // ---- connecting ---------------------------------------------------------------------------------------

  /**
   * Connects and resolves once the server answered: MQTT_ERR_SUCCESS, or MQTT_ERR_CONN_REFUSED after onConnect
   * was called with the refusal's reason code. Rejects (as Paho raises) when the broker cannot be reached.
   */
  connect(
    host = 'localhost',
    port?: number,
    keepalive = 60,
    bindAddress = '',
    bindPort = 0,
    cleanStart: CleanStart = MQTT_CLEAN_START_FIRST_ONLY,
    properties?: Properties,
  ): Promise<number> {
    this.connectAsync(host, port, keepalive, bindAddress, bindPort, cleanStart, properties)
    return this.reconnect()
  }

  /** Records where to connect; loopStart() / loopForever() (or reconnect()) make the connection. */
  connectAsync(
    host = 'localhost',
    port?: number,
    keepalive = 60,
    bindAddress = '',
    bindPort = 0,
    cleanStart: CleanStart = MQTT_CLEAN_START_FIRST_ONLY,
    properties?: Properties,
  ): number {
    if (bindPort !== 0) throw new InvalidArgumentError('bindPort is not supported (use bindAddress)')
    if (!(keepalive >= 0)) throw new InvalidArgumentError('keepalive must be >= 0')
    const defaultPort = this.#settings.transport === 'websockets' ? 80 : this.#settings.tls ? 8883 : 1883
    this.#target = { host, port: port ?? defaultPort, keepalive, bindAddress, cleanStart, properties }
    this.#connectedOnce = false
    this.#disconnectRequested = false
    if (this.#loop !== 'off') void this.#attempt(false)
    return MQTT_ERR.SUCCESS
  }

  /** Looks up `_mqtt._tcp.<domain>` (`_secure-mqtt` with TLS) and connects to the first server that answers. */
  async connectSrv(
    domain: string,
    keepalive = 60,
    bindAddress = '',
    bindPort = 0,
    cleanStart: CleanStart = MQTT_CLEAN_START_FIRST_ONLY,
    properties?: Properties,
  ): Promise<number> {
    const servers = await lookupSrv(domain, this.#settings.tls !== undefined)
    let lastError: unknown
    for (const { name, port } of servers) {
      try {
        return await this.connect(name, port, keepalive, bindAddress, bindPort, cleanStart, properties)
      } catch (error) {
        lastError = error
      }
    }
    throw lastError
  }

  /** Connects again to the last target (Paho: after a disconnect or a loss). */
  async reconnect(): Promise<number> {
    if (this.#target === undefined) throw new ClientStateError('call connect() or connectAsync() first')
    this.#disconnectRequested = false
    this.#stopRetry()
    const client = this.#client
    if (client !== undefined && client.state !== 'idle') {
      this.#client = undefined
      await client.close()
    }
    return this.#attempt(true)
  }

  /** One connection attempt; on failure the loops retry. `rethrow`: connect() reports transport errors. */
  async #attempt(rethrow: boolean): Promise<number> {
    if (this.#connecting !== undefined) return this.#connecting
    if (this.#client?.connected) return MQTT_ERR.SUCCESS
    const attempt = this.#connectOnce()
    this.#connecting = attempt
    try {
      const rc = await attempt
      if (rc !== MQTT_ERR.SUCCESS) this.#connectFailed(undefined)
      return rc
    } catch (error) {
      this.log('warn', `connection failed: ${(error as Error).message}`)
      if (this.#loop !== 'off') this.invoke('onConnectFail', this.onConnectFail, this, this.userData())
      this.#connectFailed(error)
      if (rethrow) throw error
      return MQTT_ERR.CONN_REFUSED
    } finally {
      if (this.#connecting === attempt) this.#connecting = undefined
    }
  }

  async #connectOnce(): Promise<number> {
    const target = this.#target!
    if (this.#client === undefined || this.#client.state === 'closed') this.#client = this.#newClient(target)
    this.invoke('onPreConnect', this.onPreConnect, this, this.userData())
    try {
      await this.#client.connect()
      return MQTT_ERR.SUCCESS
    } catch (error) {
      const reasonCode = (error as MqttError).reasonCode
      if ((error as MqttError).code !== 'ERR_CONNECT_REFUSED' || reasonCode === undefined) throw error
      const rc = new ReasonCode('connack', reasonCode)
      this.invoke('onConnect', this.onConnect, this, this.userData(), { sessionPresent: false }, rc, {})
      return MQTT_ERR.CONN_REFUSED
    }
  }

  /** After a failed attempt (error undefined: refused): the loops retry, or loopForever gives up. */
  #connectFailed(error: unknown): void {
    if (this.#loop === 'off' || this.#disconnectRequested) return
    const firstFailed = error !== undefined && !this.#connectedOnce && !this.#retryFirstConnection
    if (this.#loop === 'forever' && firstFailed) this.#endForever(MQTT_ERR.CONN_REFUSED, error)
    else if (!this.#reconnectOnFailure) this.#endForever(MQTT_ERR.CONN_REFUSED)
    else this.#scheduleRetry()
  }

  #scheduleRetry(): void {
    if (this.#retryTimer !== undefined || this.#loop === 'off' || this.#disconnectRequested) return
    const { reconnectMinDelay: min, reconnectMaxDelay: max } = this.#settings
    const delay = this.#retryDelay === undefined ? min : Math.min(this.#retryDelay * 2, max)
    this.#retryDelay = delay
    this.log('info', `reconnecting in ${delay} s`)
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined
      void this.#attempt(false)
    }, delay * 1000)
  }

  #stopRetry(): void {
    clearTimeout(this.#retryTimer)
    this.#retryTimer = undefined
  }

  #newClient(target: ConnectTarget): PetrelClient {
    const url = this.#settings.url(target)
    const options = this.#settings.clientOptions(target)
    const address = parseBrokerUrl(url)
    // Open the transport ourselves to report onSocketOpen / onSocketClose and to answer socket().
    options.transport = async (handlers, signal) => {
      const opened = await connectorFor(address, options)(
        {
          ...handlers,
          onClose: (error) => {
            const socket = this.#socket
            this.#socket = undefined
            if (socket !== undefined) this.invoke('onSocketClose', this.onSocketClose, this, this.userData(), socket)
            handlers.onClose(error)
          },
        },
        signal,
      )
      this.#socket = opened
      this.invoke('onSocketOpen', this.onSocketOpen, this, this.userData(), opened)
      return opened
    }
    const client = createClient(url, options)
    client.on('connect', (event) => {
      this.#connectedOnce = true
      this.#retryDelay = undefined
      this.#lastDisconnect = undefined
      this.#reportDisconnect = true
      const rc = new ReasonCode('connack', 0)
      const flags = { sessionPresent: event.sessionPresent }
      this.invoke('onConnect', this.onConnect, this, this.userData(), flags, rc, event.properties ?? {})
    })
    client.on('disconnect', (event) => {
      this.#lastDisconnect = event
    })
    client.on('offline', () => {
      this.#disconnected(0x80)
      if (this.#loop === 'off' || this.#disconnectRequested) return
      if (this.#reconnectOnFailure) this.#scheduleRetry()
      else this.#endForever(MQTT_ERR.CONN_LOST)
    })
    client.on('close', () => this.#disconnected(0))
    client.on('message', (message) => this.#deliver(message, this.onMessage))
    client.on('log', (entry) => this.log(entry.level, entry.message))
    client.on('error', (error) => this.log('error', error.message))
    for (const [filter, callback] of this.#handlers) {
      client.messageCallbackAdd(filter, (message) => this.#deliver(message, callback))
    }
    return client
  }

  /** onDisconnect, once per connection: the DISCONNECT's reason code, or `fallback` when there was none. */
  #disconnected(fallback: number): void {
    if (!this.#reportDisconnect) return
    this.#reportDisconnect = false
    const last = this.#lastDisconnect
    this.#lastDisconnect = undefined
    const flags = { isDisconnectPacketFromServer: last?.fromServer ?? false }
    const rc = new ReasonCode('disconnect', last?.reasonCode ?? fallback)
    this.invoke('onDisconnect', this.onDisconnect, this, this.userData(), flags, rc, last?.properties ?? {})
  }

  #deliver(message: Message, callback: MessageCallback<U> | null): void {
    if (message.ack !== undefined && message.packetId !== undefined) this.#unacked.set(message.packetId, message)
    this.invoke('onMessage', callback, this, this.userData(), new MQTTMessage(message))
  }

  isConnected(): boolean {
    return this.#client?.connected ?? false
  }

  /**
   * Sends DISCONNECT (with an MQTT 5 reason code and properties), stops reconnecting, and resolves once the
   * connection is closed; loopForever() then resolves. MQTT_ERR_NO_CONN when there was no connection.
   */
  async disconnect(reasonCode?: ReasonCode | number, properties?: Properties): Promise<number> {
    this.#disconnectRequested = true
    this.#stopRetry()
    const client = this.#client
    const wasConnected = client?.connected ?? false
    await client?.disconnect({ reasonCode: reasonCode === undefined ? 0 : Number(reasonCode), properties })
    this.#endForever(MQTT_ERR.SUCCESS)
    return wasConnected ? MQTT_ERR.SUCCESS : MQTT_ERR.NO_CONN
  }

  // ---- the loop calls -----------------------------------------------------------------------------------

  /**
   * Paho's loop_forever: connects (the target of connect() / connectAsync()), reconnects after every loss,
   * and resolves MQTT_ERR_SUCCESS once disconnect() is called. Without retryFirstConnection a first
   * connection that cannot be made rejects; refusals are reported to onConnect and retried.
   */
  loopForever(options: { retryFirstConnection?: boolean } = {}): Promise<number> {
    if (this.#target === undefined)
      return Promise.reject(new ClientStateError('call connect() or connectAsync() first'))
    if (this.#loop === 'forever') return Promise.reject(new ClientStateError('loopForever() is already running'))
    this.#loop = 'forever'
    this.#retryFirstConnection = options.retryFirstConnection ?? false
    const done = new Promise<number>((resolve, reject) => {
      this.#forever = { resolve, reject }
    })
    if (this.#connecting === undefined && !this.isConnected()) void this.#attempt(false)
    return done
  }

  #endForever(rc: number, error?: unknown): void {
    const forever = this.#forever
    if (forever === undefined) return
    this.#forever = undefined
    this.#loop = 'off'
    this.#stopRetry()
    if (error === undefined) forever.resolve(rc)
    else forever.reject(error)
  }

  /**
   * Paho's loop_start: from now on the client connects (if connectAsync() was called) and reconnects by
   * itself. Nothing else to start: Petrel's Client already runs on Node's event loop.
   */
  loopStart(): number {
    if (this.#loop !== 'off') return MQTT_ERR.INVAL
    this.#loop = 'started'
    this.#retryFirstConnection = true
    if (this.#target !== undefined && !this.#disconnectRequested && !this.isConnected()) void this.#attempt(false)
    return MQTT_ERR.SUCCESS
  }

  /** Paho's loop_stop: no more automatic (re)connection. The current connection stays up. */
  loopStop(): number {
    if (this.#loop !== 'started') return MQTT_ERR.INVAL
    this.#loop = 'off'
    this.#stopRetry()
    return MQTT_ERR.SUCCESS
  }

  /**
   * Paho's loop(timeout): lets the event loop run for `timeout` seconds (I/O and timers happen there), then
   * MQTT_ERR_SUCCESS if connected, MQTT_ERR_NO_CONN if not. For `while (...) await client.loop(0.1)` code.
   */
  async loop(timeout = 1): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, timeout * 1000)))
    return this.isConnected() ? MQTT_ERR.SUCCESS : MQTT_ERR.NO_CONN
  }

  /** Nothing to do in JavaScript: Node reads the socket as data arrives. NO_CONN when not connected. */
  loopRead(): number {
    return this.isConnected() ? MQTT_ERR.SUCCESS : MQTT_ERR.NO_CONN
  }

  /** Nothing to do in JavaScript: writes go to the socket at once and Node flushes them. */
  loopWrite(): number {
    return this.loopRead()
  }

  /** Nothing to do in JavaScript: keepalive and retries run on Petrel's own timer. */
  loopMisc(): number {
    return this.loopRead()
  }

  /** The open transport (Petrel's byte pipe, not a raw socket), or null. */
  socket(): Transport | null {
    return this.#socket ?? null
  }

  /** Always false: nothing waits for an external loop to write it. */
  wantWrite(): boolean {
    return false
  }

  // ---- operations ---------------------------------------------------------------------------------------

  /**
   * Publishes. Throws for an invalid topic or QoS (as Paho raises ValueError). Offline, the message waits in
   * the queue (rc MQTT_ERR_NO_CONN) and is sent at the next connection; before any connect() it fails.
   */
  publish(
    topic: string,
    payload: Payload = null,
    qos: QoS = 0,
    retain = false,
    properties?: Properties,
  ): MQTTMessageInfo {
    checkMessage(topic, qos)
    const client = this.#client
    if (client === undefined || client.state === 'closed') {
      const error = new ClientStateError('not connected: call connect() first')
      return new MQTTMessageInfo(this.#nextMid(), MQTT_ERR.NO_CONN, undefined, error)
    }
    const connected = client.connected
    const handle = client.publish(topic, payload, { qos, retain, properties })
    const mid = handle.packetId ?? this.#nextMid()
    if (handle.error !== undefined) {
      const rc = errorCodeFor(handle.error)
      if (rc === MQTT_ERR.INVAL) throw handle.error
      return new MQTTMessageInfo(mid, rc, handle)
    }
    handle.then(
      (result) => {
        const rc = new ReasonCode(qos === 2 ? 'pubcomp' : 'puback', result.reasonCode)
        this.invoke('onPublish', this.onPublish, this, this.userData(), mid, rc, result.properties ?? {})
      },
      (error: MqttError) => this.log('warn', `publish ${mid} failed: ${error.message}`),
    )
    return new MQTTMessageInfo(mid, connected ? MQTT_ERR.SUCCESS : MQTT_ERR.NO_CONN, handle)
  }

  /** `[rc, mid]`; onSubscribe gets the mid and one ReasonCode per filter. [MQTT_ERR_NO_CONN, null] offline. */
  subscribe(topic: SubscribeTopic, qos: QosOrOptions = 0, properties?: Properties): [number, number | null] {
    const bridge = this.#settings.bridgeMode && this.#settings.protocol === 5
    const requests = subscriptionRequests(topic, qos, bridge)
    return this.#request('subscribe', (client) => client.subscribe(requests, { properties }))
  }

  /** `[rc, mid]`; onUnsubscribe gets the mid and one ReasonCode per filter. */
  unsubscribe(topic: string | string[], properties?: Properties): [number, number | null] {
    const topics = typeof topic === 'string' ? [topic] : topic
    if (topics.length === 0) throw new InvalidArgumentError('unsubscribe needs at least one topic filter')
    for (const filter of topics) validateTopicFilter(filter)
    return this.#request('unsubscribe', (client) => client.unsubscribe(topics, { properties }))
  }

  /** Sends a SUBSCRIBE / UNSUBSCRIBE and hands its per-filter reason codes to onSubscribe / onUnsubscribe. */
  #request(
    kind: 'subscribe' | 'unsubscribe',
    send: (client: PetrelClient) => Promise<{ reasonCode: number }[]>,
  ): [number, number | null] {
    const client = this.#client
    if (client === undefined || !client.connected) return [MQTT_ERR.NO_CONN, null]
    const mid = this.#nextMid()
    send(client).then(
      (results) => {
        const ack = kind === 'subscribe' ? 'suback' : 'unsuback'
        const codes = results.map((result) => new ReasonCode(ack, result.reasonCode))
        if (kind === 'subscribe') this.invoke('onSubscribe', this.onSubscribe, this, this.userData(), mid, codes, {})
        else this.invoke('onUnsubscribe', this.onUnsubscribe, this, this.userData(), mid, codes, {})
      },
      (error: MqttError) => this.log('warn', `${kind} ${mid} failed: ${error.message}`),
    )
    return [MQTT_ERR.SUCCESS, mid]
  }

  /** With manualAckSet(true): acknowledges the received message `mid`. */
  ack(mid: number, qos: QoS): number {
    if (qos === 0) return MQTT_ERR.SUCCESS
    const message = this.#unacked.get(mid)
    if (message?.ack === undefined) return MQTT_ERR.NOT_FOUND
    this.#unacked.delete(mid)
    message.ack()
    return MQTT_ERR.SUCCESS
  }

  /** `callback(client, userdata, message)` gets the messages matching `sub`; onMessage then does not. */
  messageCallbackAdd(sub: string, callback: MessageCallback<U>): void {
    validateTopicFilter(sub)
    this.#handlers.set(sub, callback)
    this.#client?.messageCallbackAdd(sub, (message) => this.#deliver(message, callback))
  }

  messageCallbackRemove(sub: string): void {
    this.#handlers.delete(sub)
    this.#client?.messageCallbackRemove(sub)
  }

  #nextMid(): number {
    this.#lastMid = (this.#lastMid % 65535) + 1
    return this.#lastMid
  }
}
