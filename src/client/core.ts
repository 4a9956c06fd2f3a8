// The state one client shares between its parts (the pump, the connection attempts, the reconnect policy,
// the shutdown path, the commands in client.ts), and the few operations they all use: log, emit, set the
// alarm, settle the QoS 0 publishes that waited for a drain.
import type { MqttError } from '../packet/errors.js'
import type { Transport, TransportConnector } from '../transport/types.js'
import { Alarm } from './alarm.js'
import type { ClientDependencies, ClientSession } from './client.js'
import type { ConnectionAttempt } from './connection.js'
import { ClientClosedError } from './errors.js'
import { writeLog } from './logger.js'
import { MessageRouter, type MessageRouterHooks } from './message-router.js'
import { type ClientOptions, type ReconnectOptions, reconnectPolicy } from './options.js'
import type { PublishHandle, PublishResult } from './publish-handle.js'
import { PendingRequests } from './requests.js'
import type { Failover } from './servers.js'
import type { ClientEvents, ClientState, ConnectEvent, LogLevel, Message } from './types.js'

/** How long a graceful close (DISCONNECT, or a session-requested close) may take before the socket is destroyed. */
export const CLOSE_GRACE_MS = 2000

/** The Client's side of its events, as its parts reach it (its `emit` is protected). */
export interface ClientEventSink {
  emit<K extends keyof ClientEvents>(event: K, arg: ClientEvents[K]): boolean
  listenerCount(event: keyof ClientEvents): number
  /** A listener or handler threw. */
  listenerFailed(error: unknown, event: keyof ClientEvents): void
}

// The core is its router's hooks itself: methods on the prototype instead of three closures per client.
export class ClientCore implements MessageRouterHooks {
  readonly session: ClientSession
  readonly connector: TransportConnector
  readonly failover: Failover | undefined
  readonly now: () => number
  readonly random: () => number
  readonly reconnect: ReconnectOptions | false
  readonly connectTimeout: number
  readonly alarm: Alarm
  readonly router: MessageRouter
  readonly pending = new PendingRequests()
  state: ClientState = 'idle'
  attempt: ConnectionAttempt | undefined
  /** Transports being closed gracefully, destroyed if they outlive their deadline. */
  closing: Array<{ transport: Transport; deadline: number }> = []
  reconnectAt: number | undefined
  reconnectCount = 0
  /** Successful reconnections (CONNACKs after the first), for stats. */
  reconnects = 0
  alarmPending = false
  everConnected = false
  lastConnect: ConnectEvent | undefined
  connectWaiters: Array<{ resolve(event: ConnectEvent): void; reject(error: MqttError): void }> = []
  disconnectWaiters: Array<() => void> = []
  /** QoS 0 publishes written while the transport was over its high-water mark: settled on drain. */
  awaitingDrain: Array<[PublishHandle, PublishResult]> = []
  flushScheduled = false
  pumping = false

  constructor(
    readonly options: Readonly<ClientOptions>,
    dependencies: ClientDependencies,
    readonly events: ClientEventSink,
    /** Called when the alarm rings. */
    wake: () => void,
  ) {
    this.session = dependencies.createSession(dependencies.sessionOptions)
    this.connector = dependencies.connector
    this.failover = dependencies.failover
    this.now = dependencies.now ?? Date.now
    this.random = dependencies.random ?? Math.random
    this.reconnect = reconnectPolicy(options.reconnect)
    this.connectTimeout = options.connectTimeout ?? 30_000
    this.alarm = new Alarm(wake, this.now)
    this.router = new MessageRouter(this, options.maxHeldMessages ?? 1000)
  }

  emitUnhandled(message: Message): boolean {
    return this.events.emit('message', message)
  }

  hasMessageListeners(): boolean {
    return this.events.listenerCount('message') > 0
  }

  onHandlerError(error: unknown): void {
    this.events.listenerFailed(error, 'message')
  }

  emit<K extends keyof ClientEvents>(event: K, arg: ClientEvents[K]): void {
    this.events.emit(event, arg)
  }

  log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    const entry = { level, message, ...fields }
    writeLog(this.options.logger, entry)
    if (this.events.listenerCount('log') > 0) this.events.emit('log', entry)
  }

  /** Sets the alarm for the earliest deadline: the session's, the attempt's, the reconnect delay, a closing grace. */
  schedule(): void {
    if (this.state === 'closed') {
      this.alarm.clear()
      return
    }
    let at = earliest(this.session.nextDeadline(), this.reconnectAt)
    at = earliest(at, this.attempt?.deadline)
    for (const entry of this.closing) at = earliest(at, entry.deadline)
    this.alarm.set(at)
  }

  /** Drained, or the connection is gone (the bytes were handed over: QoS 0 promises no more). */
  settleDrained(): void {
    if (this.awaitingDrain.length === 0) return
    const waiting = this.awaitingDrain
    this.awaitingDrain = []
    for (const [handle, result] of waiting) handle.settleSuccess(result)
  }

  closedError(): MqttError | undefined {
    return this.state === 'closed' || this.state === 'disconnecting' ? new ClientClosedError() : undefined
  }
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b
  return b === undefined || a <= b ? a : b
}
