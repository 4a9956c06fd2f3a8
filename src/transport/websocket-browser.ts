// MQTT over the browser's WebSocket (also Deno, Bun and Node 22's global WebSocket). Web-platform APIs only:
// no Node imports. Frames arrive as ArrayBuffers and go to the decoder as Uint8Arrays, untouched.
import { TransportError } from './errors.js'
import type { Transport, TransportConnector, TransportHandlers } from './types.js'
import {
  DEFAULT_WEBSOCKET_HIGH_WATER_MARK,
  DEFAULT_WEBSOCKET_PROTOCOL,
  type WebSocketOptions,
} from './websocket-options.js'

export interface BrowserWebSocketConnectorOptions extends Omit<WebSocketOptions, 'headers'> {
  /** ws:// or wss:// URL. */
  url: string
  /** The WebSocket class; default: globalThis.WebSocket. */
  WebSocket?: typeof WebSocket
}

const DEFAULT_DRAIN_POLL_INTERVAL = 10
/** Close codes that end a connection without anything having gone wrong (RFC 6455 section 7.4.1). */
const CLEAN_CLOSE_CODES = new Set([1000, 1001, 1005, 1006])

export function browserWebSocketConnector(options: BrowserWebSocketConnectorOptions): TransportConnector {
  return (handlers, signal) =>
    new Promise((resolve, reject) => {
      const target = options.url
      const abortError = () => new TransportError('ERR_ABORTED', `connecting to ${target} was aborted`)
      if (signal?.aborted) {
        reject(abortError())
        return
      }
      const WebSocketClass = options.WebSocket ?? globalThis.WebSocket
      if (WebSocketClass === undefined) {
        reject(new TransportError('ERR_CONNECT', 'this environment has no WebSocket class'))
        return
      }
      let socket: WebSocket
      try {
        socket = new WebSocketClass(target, options.protocol ?? DEFAULT_WEBSOCKET_PROTOCOL)
      } catch (error) {
        reject(new TransportError('ERR_CONNECT', `could not open a WebSocket to ${target}`, { cause: error }))
        return
      }
      socket.binaryType = 'arraybuffer'
      const detach = () => {
        signal?.removeEventListener('abort', onAbort)
        socket.onopen = null
        socket.onerror = null
        socket.onclose = null
      }
      const fail = (error: TransportError) => {
        detach()
        // Closing a connecting socket fires 'error'; some implementations (Node's `ws`) throw when unheard.
        socket.onerror = () => {}
        socket.close()
        reject(error)
      }
      // Browsers hide why a WebSocket failed (refused, TLS, HTTP status): the error event carries nothing.
      const failed = () => fail(new TransportError('ERR_CONNECT', `could not open a WebSocket to ${target}`))
      const onAbort = () => fail(abortError())
      signal?.addEventListener('abort', onAbort, { once: true })
      socket.onerror = failed
      socket.onclose = failed
      socket.onopen = () => {
        detach()
        resolve(adaptBrowserWebSocket(socket, target, options, handlers))
      }
    })
}

function adaptBrowserWebSocket(
  socket: WebSocket,
  target: string,
  options: BrowserWebSocketConnectorOptions,
  handlers: TransportHandlers,
): Transport {
  const highWaterMark = options.highWaterMark ?? DEFAULT_WEBSOCKET_HIGH_WATER_MARK
  const pollInterval = options.drainPollInterval ?? DEFAULT_DRAIN_POLL_INTERVAL
  let closed = false
  let closeError: Error | undefined
  let drainTimer: ReturnType<typeof setTimeout> | undefined

  const finish = () => {
    if (closed) return
    closed = true
    clearTimeout(drainTimer)
    socket.onmessage = null
    socket.onerror = null
    socket.onclose = null
    handlers.onClose(closeError)
  }
  // There is no drain event: once over the high-water mark, look at bufferedAmount until it is below.
  const checkDrain = () => {
    drainTimer = undefined
    if (closed) return
    if (socket.bufferedAmount < highWaterMark) handlers.onDrain()
    else drainTimer = setTimeout(checkDrain, pollInterval)
  }
  socket.onmessage = (event: MessageEvent) => {
    if (event.data instanceof ArrayBuffer) {
      handlers.onData(new Uint8Array(event.data))
      return
    }
    // [MQTT-6.0.0-1] MQTT travels in binary frames; any other data frame closes the connection.
    closeError ??= new TransportError('ERR_WEBSOCKET', `${target} sent a text frame; MQTT needs binary frames`)
    socket.close()
    finish()
  }
  socket.onerror = () => {
    closeError ??= new TransportError('ERR_CONNECTION_LOST', `connection to ${target} lost`)
  }
  socket.onclose = (event: CloseEvent) => {
    if (closeError === undefined && !CLEAN_CLOSE_CODES.has(event.code)) {
      const text = event.reason === '' ? '' : `: ${event.reason}`
      closeError = new TransportError(
        'ERR_WEBSOCKET',
        `${target} closed the WebSocket with status ${event.code}${text}`,
      )
    }
    finish()
  }
  return {
    remoteAddress: target,
    write(chunk) {
      if (closed || socket.readyState !== socket.OPEN) return false
      socket.send(chunk)
      if (socket.bufferedAmount < highWaterMark) return true
      drainTimer ??= setTimeout(checkDrain, pollInterval)
      return false
    },
    end() {
      socket.close(1000)
    },
    destroy(error) {
      if (error !== undefined) closeError ??= error
      socket.close()
      // A browser's close handshake can take long on a dead network; "at once" means now.
      queueMicrotask(finish)
    },
  }
}
