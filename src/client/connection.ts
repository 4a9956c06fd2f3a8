// One attempt at a connection, from opening the transport to its close: the client keeps at most one
// current attempt and ignores callbacks from older ones.
import type { MqttError } from '../packet/errors.js'
import type { Transport, TransportConnector, TransportHandlers } from '../transport/types.js'

// Below this size several packets are copied into one write; above it the copy costs more than the call.
const COALESCE_LIMIT = 64 * 1024

export class ConnectionAttempt {
  /** Connect timeout (until CONNACK), or the grace period of a graceful close; undefined when none runs. */
  deadline: number | undefined
  transport: Transport | undefined
  /** false after write() returned false, until onDrain. */
  writable = true
  /** The server refused the protocol version: reopen at once with the version the session picked. */
  fallback = false
  /** The CONNACK refusal (or failure before CONNACK) the session reported. */
  failure: MqttError | undefined
  fatal = false
  /** The client has finished with this attempt. */
  ended = false
  readonly #abort = new AbortController()

  constructor(deadline: number) {
    this.deadline = deadline
  }

  /** true once the transport is open (the session has been told). */
  get opened(): boolean {
    return this.transport !== undefined
  }

  open(connector: TransportConnector, handlers: TransportHandlers): Promise<Transport> {
    let opening: Promise<Transport>
    try {
      opening = connector(handlers, this.#abort.signal)
    } catch (error) {
      return Promise.reject(error)
    }
    return opening.then((transport) => {
      if (!this.#abort.signal.aborted) this.transport = transport
      return transport
    })
  }

  refused(error: MqttError, fatal: boolean): void {
    this.failure = error
    this.fatal = fatal
  }

  /** Stops a connector that is still opening. */
  abort(): void {
    this.#abort.abort()
  }

  /** Writes the session's packets, coalescing small ones into a single transport write. */
  write(chunks: Uint8Array[]): void {
    const transport = this.transport
    if (transport === undefined) return
    if (chunks.length === 1) {
      this.writable = transport.write(chunks[0] as Uint8Array) && this.writable
      return
    }
    let total = 0
    for (const chunk of chunks) total += chunk.byteLength
    if (total > COALESCE_LIMIT) {
      for (const chunk of chunks) this.writable = transport.write(chunk) && this.writable
      return
    }
    const joined = new Uint8Array(total)
    let offset = 0
    for (const chunk of chunks) {
      joined.set(chunk, offset)
      offset += chunk.byteLength
    }
    this.writable = transport.write(joined) && this.writable
  }
}
