// MQTT over WebSocket in Node, through the optional `ws` package (loaded only when a ws:// or wss:// URL is
// used). Bytes pass through untouched: one write() is one binary frame, and the decoder reassembles packets
// that arrive split across frames or several to a frame.
import type { IncomingMessage } from 'node:http'
import { isIP, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type WebSocket from 'ws'
import { TransportError } from './errors.js'
import { loadOptional } from './optional.js'
import { abortError, classifyNetError } from './socket-node.js'
import { isTlsError, type TlsConnectorOptions, tlsReason } from './tls-node.js'
import type { Transport, TransportConnector, TransportHandlers } from './types.js'
import {
  DEFAULT_WEBSOCKET_HIGH_WATER_MARK,
  DEFAULT_WEBSOCKET_PROTOCOL,
  resolveWebSocketHeaders,
  type WebSocketOptions,
} from './websocket-options.js'

export interface NodeWebSocketConnectorOptions extends WebSocketOptions {
  /** ws:// or wss:// URL with host, port and path (the `url` of a parsed WebSocketAddress). */
  url: string
  /** TLS settings for wss:// (the same as mqtts:// takes). */
  tls?: Omit<TlsConnectorOptions, 'host' | 'port'>
  localAddress?: string
  /** Opens a connected socket to the server's host and port (a proxy tunnel) instead of dialling directly. */
  tunnel?: (signal?: AbortSignal) => Promise<Socket>
}

/** Close codes that end a connection without anything having gone wrong (RFC 6455 section 7.4.1). */
const CLEAN_CLOSE_CODES = new Set([1000, 1001, 1005, 1006])

const WS_OPEN = 1

export function webSocketConnector(options: NodeWebSocketConnectorOptions): TransportConnector {
  const url = new URL(options.url)
  const target = url.host
  const secure = url.protocol === 'wss:'
  return async (handlers, signal) => {
    const { WebSocket } = await loadOptional('ws', 'MQTT over WebSocket (ws:// and wss:// URLs)', () => import('ws'))
    if (signal?.aborted) throw abortError(target, signal.reason)
    const tunnel = await options.tunnel?.(signal)
    const tls = options.tls ?? {}
    // SNI must not carry an IP address (RFC 6066 section 3); ws applies the same rule when it dials itself.
    const servername = tls.servername ?? (isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0 ? url.hostname : undefined)
    const headers = resolveWebSocketHeaders(options.headers, { Host: url.host })
    const socket = new WebSocket(options.url, options.protocol ?? DEFAULT_WEBSOCKET_PROTOCOL, {
      headers,
      // MQTT payloads are often already compact; compression would also hide backpressure behind a queue.
      perMessageDeflate: false,
      localAddress: options.localAddress,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      passphrase: tls.passphrase,
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
      // Passed through to tls.connect; ws's typings leave them out.
      ...({ servername: tls.servername, ALPNProtocols: tls.alpn, secureContext: tls.secureContext } as object),
      createConnection:
        tunnel === undefined
          ? undefined
          : () =>
              (secure
                ? tlsConnect({ ...tls, socket: tunnel, servername, ALPNProtocols: tls.alpn })
                : tunnel) as ReturnType<typeof import('node:net').createConnection>,
    })
    return openWebSocket(socket, target, options, handlers, signal)
  }
}

function classifyConnectError(error: Error, target: string): TransportError {
  if (error instanceof TransportError) return error
  if (isTlsError(error)) {
    return new TransportError('ERR_TLS', `TLS with ${target} failed: ${tlsReason(error)}`, { cause: error })
  }
  return classifyNetError(error, 'connecting', target)
}

function openWebSocket(
  socket: WebSocket,
  target: string,
  options: NodeWebSocketConnectorOptions,
  handlers: TransportHandlers,
  signal?: AbortSignal,
): Promise<Transport> {
  return new Promise((resolve, reject) => {
    let remoteAddress: string | undefined
    const detach = () => {
      signal?.removeEventListener('abort', onAbort)
      socket.off('error', onError)
      socket.off('open', onOpen)
      socket.off('unexpected-response', onUnexpectedResponse)
    }
    const fail = (error: TransportError) => {
      detach()
      socket.on('error', () => {})
      socket.terminate()
      reject(error)
    }
    const onAbort = () => fail(abortError(target, signal?.reason))
    const onError = (error: Error) => fail(classifyConnectError(error, target))
    const onUnexpectedResponse = (_request: unknown, response: IncomingMessage) => {
      response.resume()
      fail(new TransportError('ERR_CONNECT', `${target} answered HTTP ${response.statusCode} instead of a WebSocket`))
    }
    const onOpen = () => {
      detach()
      resolve(adaptWebSocket(socket, target, remoteAddress, options, handlers))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.on('error', onError)
    socket.on('unexpected-response', onUnexpectedResponse)
    socket.once('upgrade', (response: IncomingMessage) => {
      remoteAddress = response.socket.remoteAddress
    })
    socket.once('open', onOpen)
  })
}

function adaptWebSocket(
  socket: WebSocket,
  target: string,
  remoteAddress: string | undefined,
  options: WebSocketOptions,
  handlers: TransportHandlers,
): Transport {
  const highWaterMark = options.highWaterMark ?? DEFAULT_WEBSOCKET_HIGH_WATER_MARK
  let closeError: Error | undefined
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      handlers.onData(data)
      return
    }
    // [MQTT-6.0.0-1] MQTT travels in binary frames; any other data frame closes the connection.
    closeError ??= new TransportError('ERR_WEBSOCKET', `${target} sent a text frame; MQTT needs binary frames`)
    socket.terminate()
  })
  socket.on('error', (error: Error) => {
    closeError ??= classifyNetError(error, 'open', target)
  })
  socket.once('close', (code: number, reason: Buffer) => {
    if (closeError === undefined && !CLEAN_CLOSE_CODES.has(code)) {
      const text = reason.length > 0 ? `: ${reason.toString('utf8')}` : ''
      closeError = new TransportError('ERR_WEBSOCKET', `${target} closed the WebSocket with status ${code}${text}`)
    }
    handlers.onClose(closeError)
  })
  // The send callback runs once the frame is handed to the socket; frames go out in order, so when the
  // frame that crossed the high-water mark is out, everything before it is too.
  const onFlushed = (error?: Error | null) => {
    if (!error && socket.readyState === WS_OPEN) handlers.onDrain()
  }
  return {
    remoteAddress: remoteAddress ?? target,
    write(chunk) {
      if (socket.readyState !== WS_OPEN) return false
      const blocked = socket.bufferedAmount + chunk.byteLength >= highWaterMark
      socket.send(chunk, { binary: true }, blocked ? onFlushed : undefined)
      return !blocked
    },
    end() {
      socket.close(1000)
    },
    destroy(error) {
      if (error !== undefined) closeError ??= error
      socket.terminate()
    },
  }
}
