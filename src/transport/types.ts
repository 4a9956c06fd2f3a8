// The byte pipe between the Client and a broker. Transports know nothing about MQTT: they move bytes,
// report backpressure, and say exactly once that they are closed.

export interface TransportHandlers {
  /** Bytes from the peer, as received (not copied). */
  onData(chunk: Uint8Array): void
  /** The transport can take more after write() returned false. */
  onDrain(): void
  /** Called exactly once, whatever closed it (peer FIN, reset, destroy(), error). */
  onClose(error?: Error): void
}

export interface Transport {
  /** false = buffered past the high-water mark; wait for onDrain before writing more. */
  write(chunk: Uint8Array): boolean
  /** Graceful: flush what is buffered, then FIN (then close). */
  end(): void
  /** Close at once, dropping anything buffered. */
  destroy(error?: Error): void
  readonly remoteAddress?: string
}

/**
 * Opens a transport. Resolves once connected (after the TLS handshake when there is one); rejects with a
 * `TransportError` ('ERR_CONNECT', 'ERR_TLS', 'ERR_ABORTED', 'ERR_DNS') and leaves no socket behind.
 */
export type TransportConnector = (handlers: TransportHandlers, signal?: AbortSignal) => Promise<Transport>
