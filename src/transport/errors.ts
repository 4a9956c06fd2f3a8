// Errors raised while opening or using a transport. Browser-safe: no Node imports.
import { MqttError, type MqttErrorOptions, nameErrorClass } from '../packet/errors.js'

/** Codes of transport errors. Stable: renaming one is a breaking change. */
export type TransportErrorCode =
  | 'ERR_INVALID_URL' // a broker URL that cannot be parsed or has an unknown scheme
  | 'ERR_DNS' // the host name did not resolve
  | 'ERR_CONNECT' // the connection could not be opened (refused, unreachable, no such socket file...)
  | 'ERR_TLS' // the TLS handshake failed (untrusted or mismatching certificate, rejected client certificate...)
  | 'ERR_ABORTED' // the caller's AbortSignal fired before the connection was open
  | 'ERR_CONNECTION_LOST' // an open connection failed (reset by the peer, write after the peer left...)
  | 'ERR_MISSING_DEPENDENCY' // an optional package (ws, aedes, socks) is not installed
  | 'ERR_WEBSOCKET' // the WebSocket peer broke MQTT-over-WebSocket rules (text frame, error close status)
  | 'ERR_PROXY' // the proxy refused the tunnel (bad credentials, target not allowed, not a proxy...)

export class TransportError extends MqttError {
  static {
    nameErrorClass(TransportError, 'TransportError')
  }
  declare readonly code: TransportErrorCode

  constructor(code: TransportErrorCode, message: string, options: MqttErrorOptions = {}) {
    super(code, message, options)
  }
}
