// The callback slots of the Paho facade (Paho 2's callback API version 2 signatures, camelCased), and how
// they are invoked: a callback that throws is logged (onLog, enabled logger), never breaks the client.
import type { LogLevel } from '../client/types.js'
import type { Properties } from '../packet/types.js'
import type { Transport } from '../transport/types.js'
import { MQTT_LOG_DEBUG, MQTT_LOG_ERR, MQTT_LOG_INFO, MQTT_LOG_WARNING } from './constants.js'
import type { MQTTMessage } from './message.js'
import type { ConnectFlags, DisconnectFlags, ReasonCode } from './reason-code.js'

/** A console-like logger for enableLogger(). */
export interface PahoLogger {
  debug?(message: string): void
  info?(message: string): void
  warn?(message: string): void
  error?(message: string): void
}

const LEVELS: Record<LogLevel, number> = {
  debug: MQTT_LOG_DEBUG,
  info: MQTT_LOG_INFO,
  warn: MQTT_LOG_WARNING,
  error: MQTT_LOG_ERR,
}

export class PahoCallbacks<C, U> {
  onConnect:
    | ((client: C, userdata: U, flags: ConnectFlags, reasonCode: ReasonCode, properties: Properties) => void)
    | null = null
  /** The connection could not be made at all (socket / TLS / timeout) while a loop connects or reconnects. */
  onConnectFail: ((client: C, userdata: U) => void) | null = null
  /** Just before each connection attempt. */
  onPreConnect: ((client: C, userdata: U) => void) | null = null
  onDisconnect:
    | ((client: C, userdata: U, flags: DisconnectFlags, reasonCode: ReasonCode, properties: Properties) => void)
    | null = null
  onMessage: ((client: C, userdata: U, message: MQTTMessage) => void) | null = null
  onPublish: ((client: C, userdata: U, mid: number, reasonCode: ReasonCode, properties: Properties) => void) | null =
    null
  onSubscribe:
    | ((client: C, userdata: U, mid: number, reasonCodes: ReasonCode[], properties: Properties) => void)
    | null = null
  onUnsubscribe:
    | ((client: C, userdata: U, mid: number, reasonCodes: ReasonCode[], properties: Properties) => void)
    | null = null
  onLog: ((client: C, userdata: U, level: number, buf: string) => void) | null = null
  /** The transport is open (before CONNECT is sent). `socket` is Petrel's Transport, not a raw socket. */
  onSocketOpen: ((client: C, userdata: U, socket: Transport) => void) | null = null
  onSocketClose: ((client: C, userdata: U, socket: Transport) => void) | null = null

  #logger: PahoLogger | undefined
  #userdata: U

  constructor(userdata: U) {
    this.#userdata = userdata
  }

  /** Paho's user_data_set: the value handed to every callback. */
  userDataSet(userdata: U): void {
    this.#userdata = userdata
  }

  /** Paho's user_data. */
  userData(): U {
    return this.#userdata
  }

  /** Paho's enable_logger: log lines also go to `logger` (default: console). */
  enableLogger(logger: PahoLogger = console): void {
    this.#logger = logger
  }

  disableLogger(): void {
    this.#logger = undefined
  }

  /** @internal Calls a callback; an exception is logged, never thrown into the client. */
  protected invoke<A extends unknown[]>(name: string, callback: ((...args: A) => void) | null, ...args: A): void {
    if (callback === null) return
    try {
      callback(...args)
    } catch (error) {
      this.log(
        'error',
        `exception in ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      )
    }
  }

  /** @internal */
  protected log(level: LogLevel, message: string): void {
    const method = this.#logger?.[level]
    if (typeof method === 'function') method.call(this.#logger, message)
    const onLog = this.onLog
    if (onLog === null) return
    try {
      onLog(this.self(), this.userData(), LEVELS[level], message)
    } catch (error) {
      this.#logger?.error?.(`exception in onLog: ${String(error)}`)
    }
  }

  /** @internal The facade itself (the first argument of every callback). */
  protected self(): C {
    return this as unknown as C
  }
}
