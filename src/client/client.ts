// The Client: the public face of a client — its API, state getters and events. The parts behind it share
// one ClientCore (core.ts): attempts.ts opens and ends connections, reconnect-policy.ts decides what follows
// a lost one, pump.ts moves the session's bytes and events, deadlines.ts runs the alarm, shutdown.ts ends it.
// Browser-safe: the transport comes from an injected connector, never from a node:* import.
import type { MqttError } from '../packet/errors.js'
import type { Properties, QoS, Subscription } from '../packet/types.js'
import type { ReceivedMessage, SessionApi, SessionOptions } from '../session/api.js'
import type { StoredSubscription } from '../session/store.js'
import type { TransportConnector } from '../transport/types.js'
import { startAttempt } from './attempts.js'
import { ClientCore } from './core.js'
import { alarmRang } from './deadlines.js'
import { TypedEmitter } from './emitter.js'
import { asMqttError, ClientClosedError } from './errors.js'
import { writeLog } from './logger.js'
import { MessageIterator, type MessagesOptions } from './message-iterator.js'
import type { MessageHandler } from './message-router.js'
import type { ClientOptions } from './options.js'
import type { Payload } from './payload.js'
import type { PublishHandle } from './publish-handle.js'
import { acknowledge, scheduleFlush } from './pump.js'
import { type SubscribeRequestInput, toSubscriptions } from './requests.js'
import type { Failover } from './servers.js'
import { disconnect, shutdown } from './shutdown.js'
import type {
  ClientEvents,
  ClientState,
  ClientStats,
  ConnectEvent,
  SubscribeResult,
  UnsubscribeResult,
} from './types.js'

export interface PublishOptions {
  qos?: QoS
  retain?: boolean
  /** MQTT 5 PUBLISH properties (message expiry, content type, response topic, user properties, ...). */
  properties?: Properties
}

export interface SubscribeOptions {
  /** QoS for filters given as strings. Default 0. */
  qos?: QoS
  noLocal?: boolean
  retainAsPublished?: boolean
  retainHandling?: 0 | 1 | 2
  /** MQTT 5 SUBSCRIBE properties. */
  properties?: Properties
  /** MQTT 5 Subscription Identifier (1..268,435,455), added to the properties. */
  subscriptionIdentifier?: number
}

export interface DisconnectOptions {
  /** MQTT 5 reason code. Default 0 (normal disconnection); 0x04 asks the server to publish the will. */
  reasonCode?: number
  properties?: Properties
  /** MQTT 5: a new Session Expiry Interval (seconds) to set as the connection ends. */
  sessionExpiryInterval?: number
}

/** The session as the client drives it: the SessionApi contract plus the remembered subscriptions. */
export interface ClientSession extends SessionApi {
  /** The subscriptions the server granted (and not unsubscribed), for resubscribing. */
  subscriptions(): StoredSubscription[]
}

/** What the Client needs from its environment: the session, the transport and (for tests) clock and randomness. */
export interface ClientDependencies {
  createSession(options: SessionOptions): ClientSession
  connector: TransportConnector
  /** Several servers / Server References: where each attempt goes (`connector` is its connector). */
  failover?: Failover
  sessionOptions: SessionOptions
  now?: () => number
  random?: () => number
}
export class Client extends TypedEmitter<ClientEvents> {
  readonly options: Readonly<ClientOptions>
  readonly #c: ClientCore

  /** @internal createClient() and connect() make Clients: they supply the dependencies. */
  constructor(options: ClientOptions, dependencies: ClientDependencies) {
    super((error, event) => this.#listenerFailed(error, event))
    this.options = options
    const core: ClientCore = new ClientCore(
      options,
      dependencies,
      {
        emit: (event, arg) => this.emit(event, arg),
        listenerCount: (event) => this.listenerCount(event),
        listenerFailed: (error, event) => this.#listenerFailed(error, event),
      },
      () => alarmRang(core),
    )
    this.#c = core
  }

  get state(): ClientState {
    return this.#c.state
  }

  get connected(): boolean {
    return this.#c.state === 'connected'
  }

  /** mqtt_as's name for `connected`: true between an `up` and the next `down`. */
  get isUp(): boolean {
    return this.#c.state === 'connected'
  }

  /** Outgoing counters (offline queue, in flight, sent, acked, dropped) and successful reconnections. */
  get stats(): ClientStats {
    return { ...this.#c.session.stats(), reconnects: this.#c.reconnects }
  }

  /** The client identifier in use (the server may have assigned one). */
  get clientId(): string {
    return this.#c.session.clientId
  }

  /** The protocol version in use (after any fallback). */
  get protocolVersion(): 3 | 4 | 5 {
    return this.#c.session.protocolVersion
  }

  /** Messages dropped because nothing was attached to receive them and the hold buffer was full. */
  get droppedMessages(): number {
    return this.#c.router.heldDropped
  }

  // ---- connecting ------------------------------------------------------------------------------------

  /**
   * Connects (or waits for the connection in progress). Resolves at CONNACK. The first connect fails fast:
   * it rejects with the refusal (ConnectError), the transport error, or ConnectTimeoutError, and the
   * client returns to 'idle' — unless `reconnect.initial` is set. Connected already: resolves at once.
   */
  connect(): Promise<ConnectEvent> {
    const c = this.#c
    if (c.state === 'closed' || c.state === 'disconnecting') {
      return Promise.reject(new ClientClosedError())
    }
    if (c.state === 'connected' && c.lastConnect !== undefined) return Promise.resolve(c.lastConnect)
    const promise = new Promise<ConnectEvent>((resolve, reject) => c.connectWaiters.push({ resolve, reject }))
    if (c.state === 'idle' || c.state === 'reconnecting') startAttempt(c)
    return promise
  }

  // ---- operations --------------------------------------------------------------------------------------

  /**
   * Publishes. Never throws: bad input or a full queue rejects the returned handle. The handle's
   * `packetId` is known at once; it settles when QoS 0 bytes are written, at PUBACK (QoS 1) or PUBCOMP (QoS 2).
   * While offline the message waits in the session's queue (bounded by maxQueued) for the next connection.
   */
  publish(topic: string, payload?: Payload, options: PublishOptions = {}): PublishHandle {
    const c = this.#c
    const handle = c.pending.publish(c.session, c.closedError(), topic, payload, options, c.now())
    scheduleFlush(c)
    return handle
  }

  /**
   * Subscribes to one filter, several, or detailed subscriptions. Resolves with one result per filter, in
   * order: `{ topic, qos, reasonCode }` — a refused filter has `qos` undefined and reasonCode >= 0x80
   * (the promise still resolves: check the results). Rejects for invalid input or if the client closes.
   */
  subscribe(filters: SubscribeRequestInput, options: SubscribeOptions = {}): Promise<SubscribeResult[]> {
    const c = this.#c
    const closed = c.closedError()
    if (closed !== undefined) return Promise.reject(closed)
    let subscriptions: Subscription[]
    try {
      subscriptions = toSubscriptions(filters, options)
      const properties =
        options.subscriptionIdentifier === undefined
          ? options.properties
          : { ...options.properties, subscriptionIdentifier: options.subscriptionIdentifier }
      const token = c.session.subscribe(subscriptions, properties, c.now())
      scheduleFlush(c)
      return c.pending.addSubscribe(
        token,
        subscriptions.map((s) => s.topic),
      )
    } catch (error) {
      return Promise.reject(asMqttError(error))
    }
  }

  /** Resolves with `{ topic, reasonCode }` per filter (reason codes exist in MQTT 5 only; 0 otherwise). */
  unsubscribe(filters: string | string[], options: { properties?: Properties } = {}): Promise<UnsubscribeResult[]> {
    const c = this.#c
    const closed = c.closedError()
    if (closed !== undefined) return Promise.reject(closed)
    try {
      const topics = typeof filters === 'string' ? [filters] : [...filters]
      const token = c.session.unsubscribe(topics, options.properties, c.now())
      scheduleFlush(c)
      return c.pending.addUnsubscribe(token, topics)
    } catch (error) {
      return Promise.reject(asMqttError(error))
    }
  }

  /** With manualAck: acknowledges a received QoS 1/2 message (same as message.ack()). */
  ack(message: ReceivedMessage, reasonCode?: number): void {
    acknowledge(this.#c, message, reasonCode)
  }

  /** MQTT 5 re-authentication with the configured authenticator. */
  reauthenticate(properties?: Properties): void {
    const c = this.#c
    if (c.state !== 'connected') return
    c.session.reauthenticate(c.now(), properties)
    scheduleFlush(c)
  }

  // ---- receiving ---------------------------------------------------------------------------------------

  /** Paho's message_callback_add: `handler` gets messages matching `filter`; 'message' listeners then don't. */
  messageCallbackAdd(filter: string, handler: MessageHandler): this {
    this.#c.router.addHandler(filter, handler)
    return this
  }

  /** Paho's message_callback_remove. */
  messageCallbackRemove(filter: string): this {
    this.#c.router.removeHandler(filter)
    return this
  }

  /**
   * An async iterator over received messages (all, or those matching `filter`), with a bounded buffer
   * (`bufferSize`, default 1000) and an overflow policy; `iterator.discarded` counts drops. `break` stops it;
   * it ends when the client closes.
   */
  messages(filter?: string, options: MessagesOptions = {}): MessageIterator {
    const router = this.#c.router
    const iterator = new MessageIterator(filter, options, (ended) => router.removeIterator(ended))
    if (this.#c.state === 'closed') iterator.end()
    else router.addIterator(iterator)
    return iterator
  }

  protected override listenerAdded(event: keyof ClientEvents): void {
    if (event === 'message') this.#c.router.attached()
  }

  // ---- ending ------------------------------------------------------------------------------------------

  /**
   * Graceful end: sends DISCONNECT, waits until it is flushed and the connection closed, stops reconnecting.
   * Operations still pending reject with ClientClosedError ('ERR_CLOSED'). The client cannot be reused.
   */
  disconnect(options: DisconnectOptions = {}): Promise<void> {
    return disconnect(this.#c, options)
  }

  /** Releases everything at once: the connection is destroyed, every pending promise rejects with 'ERR_CLOSED'. */
  close(): Promise<void> {
    if (this.#c.state !== 'closed') shutdown(this.#c, undefined)
    return Promise.resolve()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  // ---- events ------------------------------------------------------------------------------------------

  protected override emit<K extends keyof ClientEvents>(event: K, arg: ClientEvents[K]): boolean {
    const heard = super.emit(event, arg)
    // Unlike Node's EventEmitter, an unheard 'error' is logged, never thrown.
    if (!heard && event === 'error')
      writeLog(this.options.logger, {
        level: 'error',
        message: String((arg as MqttError).message),
        error: arg as MqttError,
      })
    return heard
  }

  #listenerFailed(error: unknown, event: keyof ClientEvents): void {
    const wrapped = asMqttError(error, 'ERR_LISTENER')
    if (event === 'error') writeLog(this.options.logger, { level: 'error', message: wrapped.message, error: wrapped })
    else this.emit('error', wrapped)
  }
}
