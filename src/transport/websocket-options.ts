// Options of MQTT over WebSocket, shared by the Node (`ws`) and browser connectors. Browser-safe.

/** Header name → value. */
export type WebSocketHeaders = Record<string, string>

export interface WebSocketOptions {
  /**
   * Extra HTTP headers for the upgrade request (Node only: browsers do not let scripts set them). Either the
   * headers to add, or a function that gets the default headers and returns the headers to send, like
   * Paho's ws_set_options(headers=callable). Headers the WebSocket handshake itself needs (Upgrade,
   * Connection, Sec-WebSocket-Key, Sec-WebSocket-Version, Sec-WebSocket-Protocol) cannot be replaced.
   */
  headers?: WebSocketHeaders | ((defaults: WebSocketHeaders) => WebSocketHeaders)
  /** The subprotocol offered. Default 'mqtt' (MQTT 3.1.1 and 5.0); some MQTT 3.1 brokers want 'mqttv3.1'. */
  protocol?: string
  /**
   * Bytes buffered in the WebSocket before write() returns false and the client waits for drain.
   * Default 64 KiB.
   */
  highWaterMark?: number
  /** Browser: milliseconds between checks of bufferedAmount while over the high-water mark. Default 10. */
  drainPollInterval?: number
}

export const DEFAULT_WEBSOCKET_PROTOCOL = 'mqtt'
export const DEFAULT_WEBSOCKET_HIGH_WATER_MARK = 64 * 1024

/** The headers to send: the defaults merged with (or replaced by the result of) the user's option. */
export function resolveWebSocketHeaders(
  option: WebSocketOptions['headers'],
  defaults: WebSocketHeaders,
): WebSocketHeaders {
  if (option === undefined) return defaults
  if (typeof option === 'function') return option({ ...defaults })
  return { ...defaults, ...option }
}
