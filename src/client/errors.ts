// Errors raised by the Client itself (the session, codec and transports have their own). Browser-safe.
import { MqttError, type MqttErrorOptions, nameErrorClass } from '../packet/errors.js'

/** The client was closed (close(), disconnect(), or a fatal refusal) before the operation could complete. */
export class ClientClosedError extends MqttError {
  static {
    nameErrorClass(ClientClosedError, 'ClientClosedError')
  }
  constructor(message = 'the client is closed', options: MqttErrorOptions = {}) {
    super('ERR_CLOSED', message, options)
  }
}

/** No CONNACK within `connectTimeout` milliseconds of starting to open the connection. */
export class ConnectTimeoutError extends MqttError {
  static {
    nameErrorClass(ConnectTimeoutError, 'ConnectTimeoutError')
  }
  readonly timeoutMs: number

  constructor(timeoutMs: number) {
    super('ERR_CONNECT_TIMEOUT', `no CONNACK within ${timeoutMs} ms`)
    this.timeoutMs = timeoutMs
  }
}

/** An argument the client cannot use (a payload of an unsupported type, a bad option value, ...). */
export class InvalidArgumentError extends MqttError {
  static {
    nameErrorClass(InvalidArgumentError, 'InvalidArgumentError')
  }
  constructor(message: string, options: MqttErrorOptions = {}) {
    super('ERR_INVALID_ARGUMENT', message, options)
  }
}

/** An operation that needs a live connection or a connectable client (connect() twice, unsupported URL, ...). */
export class ClientStateError extends MqttError {
  static {
    nameErrorClass(ClientStateError, 'ClientStateError')
  }
  constructor(message: string) {
    super('ERR_CLIENT_STATE', message)
  }
}

/** Wraps anything thrown by user code or a transport that is not already an MqttError. */
export function asMqttError(error: unknown, code = 'ERR_UNEXPECTED'): MqttError {
  if (error instanceof MqttError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new MqttError(code, message, { cause: error })
}
