// Shared by the node:net and node:tls connectors: open a socket, wait until it is ready, and adapt it to
// the Transport interface. Every failure path destroys the socket so nothing is left open.
import type { Socket } from 'node:net'
import { TransportError } from './errors.js'
import type { Transport, TransportHandlers } from './types.js'

/** Before the socket is ready a failure is a connect failure; after, it is a lost connection. */
export type SocketPhase = 'connecting' | 'open'

export interface SocketPlan {
  /** Where we connect, for messages: "127.0.0.1:1883", "/run/mqtt.sock". */
  target: string
  /** Creates the socket and starts connecting (may throw for invalid options). */
  open(): Socket
  /** 'connect' for node:net, 'secureConnect' for node:tls (after the handshake). */
  readyEvent: 'connect' | 'secureConnect'
  /** Turns any error into a TransportError. */
  classify(error: Error, phase: SocketPhase): TransportError
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA'])

/** The system error code of a Node error; Happy Eyeballs failures are AggregateErrors of several. */
export function errorCode(error: Error): string | undefined {
  const withCode = error as Error & { code?: unknown; errors?: Array<{ code?: unknown }> }
  const code = withCode.code ?? withCode.errors?.[0]?.code
  return typeof code === 'string' ? code : undefined
}

/** The classification of plain socket errors (no TLS involved). */
export function classifyNetError(error: Error, phase: SocketPhase, target: string): TransportError {
  if (error instanceof TransportError) return error
  const code = errorCode(error)
  const suffix = code === undefined ? error.message : code
  if (phase === 'open') {
    return new TransportError('ERR_CONNECTION_LOST', `connection to ${target} lost (${suffix})`, { cause: error })
  }
  if (code !== undefined && DNS_CODES.has(code)) {
    return new TransportError('ERR_DNS', `could not resolve the host of ${target} (${suffix})`, { cause: error })
  }
  return new TransportError('ERR_CONNECT', `could not connect to ${target} (${suffix})`, { cause: error })
}

/** The caller's AbortSignal fired while connecting to `target`. */
export function abortError(target: string, reason: unknown): TransportError {
  return new TransportError('ERR_ABORTED', `connecting to ${target} was aborted`, { cause: reason })
}

export function connectSocket(plan: SocketPlan, handlers: TransportHandlers, signal?: AbortSignal): Promise<Transport> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(plan.target, signal.reason))
      return
    }
    let socket: Socket
    try {
      socket = plan.open()
    } catch (error) {
      reject(plan.classify(error as Error, 'connecting'))
      return
    }
    const detach = () => {
      signal?.removeEventListener('abort', onAbort)
      socket.off('error', onError)
      socket.off(plan.readyEvent, onReady)
    }
    const fail = (error: TransportError) => {
      detach()
      // A destroyed socket should stay silent, but an unhandled 'error' would crash the process.
      socket.on('error', () => {})
      socket.destroy()
      reject(error)
    }
    const onAbort = () => fail(abortError(plan.target, signal?.reason))
    const onError = (error: Error) => fail(plan.classify(error, 'connecting'))
    const onReady = () => {
      detach()
      resolve(adaptSocket(socket, plan, handlers))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.on('error', onError)
    socket.once(plan.readyEvent, onReady)
  })
}

/** Adapts a connected socket (also one handed over by a proxy tunnel) to the Transport interface. */
export function adaptSocket(
  socket: Socket,
  plan: Pick<SocketPlan, 'target' | 'classify'>,
  handlers: TransportHandlers,
): Transport {
  let closeError: Error | undefined
  // Buffers are Uint8Arrays: chunks go through as they are.
  socket.on('data', (chunk: Buffer) => handlers.onData(chunk))
  socket.on('drain', () => handlers.onDrain())
  socket.on('error', (error: Error) => {
    closeError ??= plan.classify(error, 'open')
  })
  // 'close' comes exactly once, after 'error' when there is one, whatever ended the socket.
  socket.once('close', () => handlers.onClose(closeError))
  return {
    remoteAddress: socket.remoteAddress ?? plan.target,
    write: (chunk) => (socket.destroyed || !socket.writable ? false : socket.write(chunk)),
    end: () => {
      socket.end()
    },
    destroy: (error) => {
      if (error !== undefined) closeError ??= error
      socket.destroy()
    },
  }
}
