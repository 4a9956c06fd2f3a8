// The Client: drives the sans-IO session with a transport, one timer and the application's calls.
// Browser-safe: the transport comes from an injected connector, never from a node:* import.
import type { MqttError } from '../packet/errors.js'
import type { Properties, QoS, Subscription } from '../packet/types.js'
import type { ReceivedMessage, SessionApi, SessionEvent, SessionOptions } from '../session/api.js'
import type { StoredSubscription } from '../session/store.js'
import type { Transport, TransportConnector } from '../transport/types.js'
import { Alarm } from './alarm.js'
import { backoffDelay } from './backoff.js'
import { ConnectionAttempt, deferTask } from './connection.js'
import { TypedEmitter } from './emitter.js'
import { asMqttError, ClientClosedError, ClientStateError, ConnectTimeoutError } from './errors.js'
import { writeLog } from './logger.js'
import { MessageIterator, type MessagesOptions } from './message-iterator.js'
import { type MessageHandler, MessageRouter } from './message-router.js'
import { type ClientOptions, type ReconnectOptions, reconnectPolicy } from './options.js'
import type { Payload } from './payload.js'
import type { PublishHandle, PublishResult } from './publish-handle.js'
import { groupForResubscribe, PendingRequests, type SubscribeRequestInput, toSubscriptions } from './requests.js'
import type { Failover } from './servers.js'
import type {
  ClientEvents,
  ClientState,
  ClientStats,
  ConnectEvent,
  LogLevel,
  Message,
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

/** How long a graceful close (DISCONNECT, or a session-requested close) may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 2000

export class Client extends TypedEmitter<ClientEvents> {
  readonly options: Readonly<ClientOptions>
  readonly #session: ClientSession
  readonly #connector: TransportConnector
  readonly #failover: Failover | undefined
  readonly #now: () => number
  readonly #random: () => number
  readonly #reconnect: ReconnectOptions | false
  readonly #connectTimeout: number
  readonly #alarm: Alarm
  readonly #router: MessageRouter
  readonly #pending = new PendingRequests()
  #state: ClientState = 'idle'
  #attempt: ConnectionAttempt | undefined
  /** Transports being closed gracefully, destroyed if they outlive their deadline. */
  #closing: Array<{ transport: Transport; deadline: number }> = []
  #reconnectAt: number | undefined
  #reconnectCount = 0
  /** Successful reconnections (CONNACKs after the first), for stats. */
  #reconnects = 0
  #alarmPending = false
  #everConnected = false
  #lastConnect: ConnectEvent | undefined
  #connectWaiters: Array<{ resolve(event: ConnectEvent): void; reject(error: MqttError): void }> = []
  #disconnectWaiters: Array<() => void> = []
  /** QoS 0 publishes written while the transport was over its high-water mark: settled on drain. */
  #awaitingDrain: Array<[PublishHandle, PublishResult]> = []
  #flushScheduled = false
  #pumping = false

  constructor(options: ClientOptions, dependencies: ClientDependencies) {
    super((error, event) => this.#listenerFailed(error, event))
    this.options = options
    this.#session = dependencies.createSession(dependencies.sessionOptions)
    this.#connector = dependencies.connector
    this.#failover = dependencies.failover
    this.#now = dependencies.now ?? Date.now
    this.#random = dependencies.random ?? Math.random
    this.#reconnect = reconnectPolicy(options.reconnect)
    this.#connectTimeout = options.connectTimeout ?? 30_000
    this.#alarm = new Alarm(() => this.#alarmRang(), this.#now)
    this.#router = new MessageRouter(
      {
        emitUnhandled: (message) => this.emit('message', message),
        hasMessageListeners: () => this.listenerCount('message') > 0,
        onHandlerError: (error) => this.#listenerFailed(error, 'message'),
      },
      options.maxHeldMessages ?? 1000,
    )
  }

  get state(): ClientState {
    return this.#state
  }

  get connected(): boolean {
    return this.#state === 'connected'
  }

  /** mqtt_as's name for `connected`: true between an `up` and the next `down`. */
  get isUp(): boolean {
    return this.#state === 'connected'
  }

  /** Outgoing counters (offline queue, in flight, sent, acked, dropped) and successful reconnections. */
  get stats(): ClientStats {
    return { ...this.#session.stats(), reconnects: this.#reconnects }
  }

  /** The client identifier in use (the server may have assigned one). */
  get clientId(): string {
    return this.#session.clientId
  }

  /** The protocol version in use (after any fallback). */
  get protocolVersion(): 3 | 4 | 5 {
    return this.#session.protocolVersion
  }

  /** Messages dropped because nothing was attached to receive them and the hold buffer was full. */
  get droppedMessages(): number {
    return this.#router.heldDropped
  }

  // ---- connecting ------------------------------------------------------------------------------------

  /**
   * Connects (or waits for the connection in progress). Resolves at CONNACK. The first connect fails fast:
   * it rejects with the refusal (ConnectError), the transport error, or ConnectTimeoutError, and the
   * client returns to 'idle' — unless `reconnect.initial` is set. Connected already: resolves at once.
   */
  connect(): Promise<ConnectEvent> {
    if (this.#state === 'closed' || this.#state === 'disconnecting') {
      return Promise.reject(new ClientClosedError())
    }
    if (this.#state === 'connected' && this.#lastConnect !== undefined) return Promise.resolve(this.#lastConnect)
    const promise = new Promise<ConnectEvent>((resolve, reject) => this.#connectWaiters.push({ resolve, reject }))
    if (this.#state === 'idle' || this.#state === 'reconnecting') this.#startAttempt()
    return promise
  }

  #startAttempt(): void {
    this.#reconnectAt = undefined
    this.#state = 'connecting'
    const attempt = new ConnectionAttempt(this.#now() + this.#connectTimeout)
    this.#attempt = attempt
    this.#log('debug', 'opening the transport')
    attempt
      .open(this.#connector, {
        onData: (chunk) => {
          if (this.#attempt !== attempt) return
          this.#session.receive(chunk, this.#now())
          this.#pump()
        },
        onDrain: () => {
          if (this.#attempt !== attempt) return
          attempt.writable = true
          this.#settleDrained()
          this.#pump()
        },
        onClose: (error) => {
          this.#closing = this.#closing.filter((entry) => entry.transport !== attempt.transport)
          if (this.#attempt === attempt) this.#attemptEnded(attempt, error && asMqttError(error, 'ERR_CONNECTION_LOST'))
          this.#maybeFinishDisconnect()
        },
      })
      .then(
        (transport) => {
          if (this.#attempt !== attempt) {
            transport.destroy()
            return
          }
          this.#log('debug', 'transport open, sending CONNECT', { remoteAddress: transport.remoteAddress })
          this.#session.open(this.#now())
          this.#pump()
        },
        (error: unknown) => {
          if (this.#attempt === attempt) this.#attemptEnded(attempt, asMqttError(error, 'ERR_CONNECT'))
        },
      )
    this.#schedule()
  }

  /** Ends the current connection gracefully (flush, FIN) and moves on at once. */
  #closeAttempt(attempt: ConnectionAttempt, error: MqttError | undefined, graceful: boolean): void {
    if (this.#attempt !== attempt || attempt.ended) return
    const transport = attempt.transport
    if (transport !== undefined) {
      if (graceful) {
        attempt.flush()
        this.#closing.push({ transport, deadline: this.#now() + CLOSE_GRACE_MS })
        transport.end()
      } else transport.destroy(error)
    }
    this.#attemptEnded(attempt, error)
  }

  /** The one place where a connection (or an attempt at one) ends; decides what happens next. */
  #attemptEnded(attempt: ConnectionAttempt, error: MqttError | undefined): void {
    if (this.#attempt !== attempt || attempt.ended) return
    attempt.ended = true
    attempt.abort()
    // Still current while the session reports the loss, so that a 'connect-failed' lands on this attempt.
    if (attempt.opened) {
      this.#session.connectionLost(this.#now(), error)
      this.#pump()
    }
    this.#attempt = undefined
    this.#settleDrained()
    if (this.#state === 'closed' || this.#state === 'disconnecting') return
    if (this.#state === 'connected') {
      this.#log('warn', 'connection lost', { error })
      this.emit('offline', { error })
      this.emit('down', { error })
    }
    this.#afterAttempt(attempt, error)
  }

  #afterAttempt(attempt: ConnectionAttempt, error: MqttError | undefined): void {
    if (attempt.fallback) {
      this.#log('info', `retrying with protocol version ${this.#session.protocolVersion}`)
      this.#startAttempt()
      return
    }
    const failure = attempt.failure ?? error ?? new ClientStateError('the connection closed')
    const policy = this.#reconnect
    if (attempt.fatal && !(policy !== false && policy.onFatal)) {
      if (this.#everConnected) {
        this.#log('error', 'the server refused to reconnect; giving up', { error: failure })
        this.emit('error', failure)
        this.#shutdown(failure)
      } else this.#toIdle(failure)
      return
    }
    if (this.#failover?.next(this.#state === 'connected')) {
      this.#log('info', `trying ${this.#failover.current.label}`, { error: failure })
      this.#startAttempt()
      return
    }
    if (policy === false || (!this.#everConnected && !policy.initial)) {
      this.#toIdle(failure)
      return
    }
    this.#reconnectCount++
    const delay = backoffDelay(this.#reconnectCount, policy, this.#random)
    this.#reconnectAt = this.#now() + delay
    this.#state = 'reconnecting'
    this.#log('info', `reconnecting in ${delay} ms`, { attempt: this.#reconnectCount, error: failure })
    this.emit('reconnecting', { attempt: this.#reconnectCount, delay })
    this.#schedule()
  }

  /** Not connected and not retrying: pending connect() calls fail; queued operations wait for connect(). */
  #toIdle(error: MqttError): void {
    this.#state = 'idle'
    this.#schedule()
    const waiters = this.#connectWaiters
    this.#connectWaiters = []
    for (const waiter of waiters) waiter.reject(error)
    if (waiters.length === 0) this.emit('error', error)
  }

  // ---- the pump: session output to transport and events ------------------------------------------------

  #scheduleFlush(): void {
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    queueMicrotask(() => this.#pump())
  }

  /** Writes what the session wants written and acts on its events, until it has nothing more. */
  #pump(): void {
    this.#flushScheduled = false
    if (this.#pumping) return // an event handler called back into the client: the outer loop continues
    this.#pumping = true
    try {
      for (;;) {
        let chunks = this.#session.takeOutgoing()
        const events = this.#session.takeEvents()
        // The SUBSCRIBEs that restore a lost session go out before the publishes queued while offline,
        // or the server would route those before the subscriptions exist.
        if (this.#everConnected && this.options.resubscribe !== false && sessionLost(events)) {
          this.#resubscribe()
          chunks = [...this.#session.takeOutgoing(), ...chunks]
        }
        if (chunks.length > 0) this.#attempt?.write(chunks)
        if (chunks.length === 0 && events.length === 0) break
        for (const event of events) this.#handle(event)
      }
    } finally {
      this.#pumping = false
    }
    this.#schedule()
  }

  #handle(event: SessionEvent): void {
    const attempt = this.#attempt
    this.#failover?.observe(event)
    switch (event.type) {
      case 'connected':
        this.#connected(event.connack.properties, event)
        return
      case 'connect-failed':
        if (attempt !== undefined) attempt.refused(event.error, event.fatal)
        this.#log('warn', 'connection refused', { error: event.error, fatal: event.fatal })
        return
      case 'version-fallback':
        if (attempt !== undefined) attempt.fallback = true
        return
      case 'message':
        this.#deliver(event.message)
        return
      case 'publish-done': {
        const handle = this.#pending.takePublish(event.token)
        if (handle === undefined) return
        const result = {
          packetId: event.packetId,
          qos: handle.qos,
          reasonCode: event.reasonCode ?? 0,
          properties: event.properties,
        }
        // Backpressure: a QoS 0 publish counts as written once the transport is below its high-water mark.
        if (handle.qos === 0 && attempt !== undefined && !attempt.writable) this.#awaitingDrain.push([handle, result])
        else handle.settleSuccess(result)
        return
      }
      case 'publish-failed':
        this.#pending.takePublish(event.token)?.settleFailure(event.error)
        return
      case 'publish-id':
        this.#pending.assignPacketId(event.token, event.packetId)
        return
      case 'subscribed':
      case 'unsubscribed':
        this.#pending.settle(event.token, event.reasonCodes)
        return
      case 'request-failed':
        this.#pending.fail(event.token, event.error)
        return
      case 'server-disconnect':
        this.#log('warn', `the server sent DISCONNECT (reason ${event.reasonCode})`)
        this.emit('disconnect', { reasonCode: event.reasonCode, fromServer: true, properties: event.properties })
        return
      case 'auth':
        this.#log('debug', `AUTH from the server (reason ${event.reasonCode})`)
        return
      case 'pong':
        this.emit('pong', { roundTripMs: event.roundTripMs })
        return
      case 'close':
        if (attempt !== undefined) this.#closeAttempt(attempt, event.error, true)
        return
      case 'error':
        this.emit('error', event.error)
        return
    }
  }

  #connected(properties: Properties | undefined, event: Extract<SessionEvent, { type: 'connected' }>): void {
    const attempt = this.#attempt
    if (attempt !== undefined) attempt.deadline = undefined
    const reconnected = this.#everConnected
    if (reconnected) this.#reconnects++
    this.#state = 'connected'
    this.#everConnected = true
    this.#reconnectCount = 0
    const info: ConnectEvent = {
      sessionPresent: event.sessionPresent,
      protocolVersion: this.#session.protocolVersion,
      properties,
      connack: event.connack,
      reconnected,
    }
    this.#lastConnect = info
    this.#log(
      'info',
      `connected (MQTT protocol level ${info.protocolVersion}, session present: ${info.sessionPresent})`,
    )
    const waiters = this.#connectWaiters
    this.#connectWaiters = []
    for (const waiter of waiters) waiter.resolve(info)
    this.emit('connect', info)
    this.emit('up', info)
  }

  /** The server lost our session: subscribe again to everything the session remembers. */
  #resubscribe(): void {
    const groups = groupForResubscribe(this.#session.subscriptions())
    if (groups.length === 0) return
    this.#log('info', 'the server has no session: resubscribing')
    for (const { subscriptions, properties } of groups) {
      try {
        const token = this.#session.subscribe(subscriptions, properties, this.#now())
        this.#pending.addResubscribe(
          token,
          subscriptions.map((s) => s.topic),
          (error) => this.emit('error', error),
        )
      } catch (error) {
        this.emit('error', asMqttError(error))
      }
    }
  }

  #deliver(message: ReceivedMessage): void {
    if (this.options.manualAck && message.qos > 0) {
      ;(message as Message).ack = (reasonCode?: number) => this.ack(message, reasonCode)
    }
    this.#router.deliver(message)
  }

  /** Drained, or the connection is gone (the bytes were handed over: QoS 0 promises no more). */
  #settleDrained(): void {
    if (this.#awaitingDrain.length === 0) return
    const waiting = this.#awaitingDrain
    this.#awaitingDrain = []
    for (const [handle, result] of waiting) handle.settleSuccess(result)
  }

  // ---- time --------------------------------------------------------------------------------------------

  #schedule(): void {
    if (this.#state === 'closed') {
      this.#alarm.clear()
      return
    }
    let at = earliest(this.#session.nextDeadline(), this.#reconnectAt)
    at = earliest(at, this.#attempt?.deadline)
    for (const entry of this.#closing) at = earliest(at, entry.deadline)
    this.#alarm.set(at)
  }

  /**
   * Deadlines are judged after the I/O already waiting has been read: when the event loop was stalled, the
   * timer fires before the socket's bytes are processed, and a PINGRESP sitting in the buffer must not
   * count as missing.
   */
  #alarmRang(): void {
    if (this.#alarmPending) return
    this.#alarmPending = true
    deferTask(() => {
      this.#alarmPending = false
      if (this.#state !== 'closed') this.#onAlarm()
    })
  }

  #onAlarm(): void {
    const now = this.#now()
    for (const entry of this.#closing) if (entry.deadline <= now) entry.transport.destroy()
    const attempt = this.#attempt
    if (attempt?.deadline !== undefined && attempt.deadline <= now) {
      if (this.#state === 'disconnecting') this.#closeAttempt(attempt, undefined, false)
      else this.#closeAttempt(attempt, new ConnectTimeoutError(this.#connectTimeout), false)
    }
    if (this.#reconnectAt !== undefined && this.#reconnectAt <= now) this.#startAttempt()
    const deadline = this.#session.nextDeadline()
    if (deadline !== undefined && deadline <= now) this.#session.tick(now)
    this.#pump()
  }

  // ---- operations --------------------------------------------------------------------------------------

  /**
   * Publishes. Never throws: bad input or a full queue rejects the returned handle. The handle's
   * `packetId` is known at once; it settles when QoS 0 bytes are written, at PUBACK (QoS 1) or PUBCOMP (QoS 2).
   * While offline the message waits in the session's queue (bounded by maxQueued) for the next connection.
   */
  publish(topic: string, payload?: Payload, options: PublishOptions = {}): PublishHandle {
    const handle = this.#pending.publish(this.#session, this.#closedError(), topic, payload, options, this.#now())
    this.#scheduleFlush()
    return handle
  }

  /**
   * Subscribes to one filter, several, or detailed subscriptions. Resolves with one result per filter, in
   * order: `{ topic, qos, reasonCode }` — a refused filter has `qos` undefined and reasonCode >= 0x80
   * (the promise still resolves: check the results). Rejects for invalid input or if the client closes.
   */
  subscribe(filters: SubscribeRequestInput, options: SubscribeOptions = {}): Promise<SubscribeResult[]> {
    const closed = this.#closedError()
    if (closed !== undefined) return Promise.reject(closed)
    let subscriptions: Subscription[]
    try {
      subscriptions = toSubscriptions(filters, options)
      const properties =
        options.subscriptionIdentifier === undefined
          ? options.properties
          : { ...options.properties, subscriptionIdentifier: options.subscriptionIdentifier }
      const token = this.#session.subscribe(subscriptions, properties, this.#now())
      this.#scheduleFlush()
      return this.#pending.addSubscribe(
        token,
        subscriptions.map((s) => s.topic),
      )
    } catch (error) {
      return Promise.reject(asMqttError(error))
    }
  }

  /** Resolves with `{ topic, reasonCode }` per filter (reason codes exist in MQTT 5 only; 0 otherwise). */
  unsubscribe(filters: string | string[], options: { properties?: Properties } = {}): Promise<UnsubscribeResult[]> {
    const closed = this.#closedError()
    if (closed !== undefined) return Promise.reject(closed)
    try {
      const topics = typeof filters === 'string' ? [filters] : [...filters]
      const token = this.#session.unsubscribe(topics, options.properties, this.#now())
      this.#scheduleFlush()
      return this.#pending.addUnsubscribe(token, topics)
    } catch (error) {
      return Promise.reject(asMqttError(error))
    }
  }

  /** With manualAck: acknowledges a received QoS 1/2 message (same as message.ack()). */
  ack(message: ReceivedMessage, reasonCode?: number): void {
    if (this.#state === 'closed') return
    this.#session.ack(message, reasonCode)
    this.#scheduleFlush()
  }

  /** MQTT 5 re-authentication with the configured authenticator. */
  reauthenticate(properties?: Properties): void {
    if (this.#state !== 'connected') return
    this.#session.reauthenticate(this.#now(), properties)
    this.#scheduleFlush()
  }

  #closedError(): MqttError | undefined {
    return this.#state === 'closed' || this.#state === 'disconnecting' ? new ClientClosedError() : undefined
  }

  // ---- receiving ---------------------------------------------------------------------------------------

  /** Paho's message_callback_add: `handler` gets messages matching `filter`; 'message' listeners then don't. */
  messageCallbackAdd(filter: string, handler: MessageHandler): this {
    this.#router.addHandler(filter, handler)
    return this
  }

  /** Paho's message_callback_remove. */
  messageCallbackRemove(filter: string): this {
    this.#router.removeHandler(filter)
    return this
  }

  /**
   * An async iterator over received messages (all, or those matching `filter`), with a bounded buffer
   * (`bufferSize`, default 1000) and an overflow policy; `iterator.discarded` counts drops. `break` stops it;
   * it ends when the client closes.
   */
  messages(filter?: string, options: MessagesOptions = {}): MessageIterator {
    const iterator = new MessageIterator(filter, options, (ended) => this.#router.removeIterator(ended))
    if (this.#state === 'closed') iterator.end()
    else this.#router.addIterator(iterator)
    return iterator
  }

  protected override listenerAdded(event: keyof ClientEvents): void {
    if (event === 'message') this.#router.attached()
  }

  // ---- ending ------------------------------------------------------------------------------------------

  /**
   * Graceful end: sends DISCONNECT, waits until it is flushed and the connection closed, stops reconnecting.
   * Operations still pending reject with ClientClosedError ('ERR_CLOSED'). The client cannot be reused.
   */
  disconnect(options: DisconnectOptions = {}): Promise<void> {
    if (this.#state === 'closed') return Promise.resolve()
    const done = new Promise<void>((resolve) => this.#disconnectWaiters.push(resolve))
    if (this.#state === 'disconnecting') return done
    const attempt = this.#attempt
    if (this.#state !== 'connected' || attempt === undefined) {
      this.#shutdown(undefined)
      return done
    }
    const properties =
      options.sessionExpiryInterval === undefined
        ? options.properties
        : { ...options.properties, sessionExpiryInterval: options.sessionExpiryInterval }
    const reasonCode = options.reasonCode ?? 0
    try {
      this.#session.disconnect(this.#now(), { reasonCode, properties })
    } catch (error) {
      this.#disconnectWaiters.pop()
      return Promise.reject(asMqttError(error))
    }
    this.#state = 'disconnecting'
    attempt.deadline = this.#now() + CLOSE_GRACE_MS
    this.emit('disconnect', { reasonCode, fromServer: false, properties })
    this.#pump()
    this.#maybeFinishDisconnect()
    return done
  }

  #maybeFinishDisconnect(): void {
    if (this.#state === 'disconnecting' && this.#attempt === undefined && this.#closing.length === 0) {
      this.#shutdown(undefined)
    }
  }

  /** Releases everything at once: the connection is destroyed, every pending promise rejects with 'ERR_CLOSED'. */
  close(): Promise<void> {
    if (this.#state !== 'closed') this.#shutdown(undefined)
    return Promise.resolve()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  #shutdown(error: MqttError | undefined): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#reconnectAt = undefined
    const attempt = this.#attempt
    this.#attempt = undefined
    if (attempt !== undefined) {
      attempt.abort()
      attempt.transport?.destroy()
      if (attempt.opened) this.#session.connectionLost(this.#now(), error)
    }
    for (const entry of this.#closing) entry.transport.destroy()
    this.#closing = []
    this.#alarm.clear()
    const waiters = this.#connectWaiters
    this.#connectWaiters = []
    // The error (and its stack trace) is built only when something pending will be told: a plain disconnect
    // of an idle client has nothing to fail.
    const stats = this.#session.stats()
    const told = !this.#pending.isEmpty || stats.queued > 0 || stats.inflight > 0 || waiters.length > 0
    const message = error === undefined ? 'the client is closed' : error.message
    const closed = told ? new ClientClosedError(message, { cause: error }) : undefined
    if (closed !== undefined) this.#session.abandon(closed)
    this.#pump()
    if (closed !== undefined) this.#pending.failAll(closed)
    this.#settleDrained()
    for (const waiter of waiters) waiter.reject(error ?? (closed as ClientClosedError))
    this.#router.endIterators()
    this.#log('info', 'closed')
    this.emit('close', { error })
    const disconnectWaiters = this.#disconnectWaiters
    this.#disconnectWaiters = []
    for (const resolve of disconnectWaiters) resolve()
  }

  // ---- logging -----------------------------------------------------------------------------------------

  #log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    const entry = { level, message, ...fields }
    writeLog(this.options.logger, entry)
    if (this.listenerCount('log') > 0) this.emit('log', entry)
  }

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

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b
  return b === undefined || a <= b ? a : b
}

/** A CONNACK in `events` says the server kept no session for us. */
function sessionLost(events: SessionEvent[]): boolean {
  for (const event of events) if (event.type === 'connected' && !event.sessionPresent) return true
  return false
}
