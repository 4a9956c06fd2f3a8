// One attempt at a connection, from opening the transport to its close: the client keeps at most one
// current attempt and ignores callbacks from older ones.
import type { MqttError } from '../packet/errors.js'
import type { Transport, TransportConnector, TransportHandlers } from '../transport/types.js'

// Bytes queued before a write is forced; queued packets are copied into one buffer unless there are
// several times this many (then the copy would cost more than the calls it saves).
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
  /** Stops the connector while it is opening; dropped once the transport is open (it has no use after). */
  #abort: AbortController | undefined = new AbortController()
  #queued: Uint8Array[] = []
  #queuedBytes = 0
  #flushHandle: ReturnType<typeof setTimeout> | undefined

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
      opening = connector(handlers, this.#abort?.signal)
    } catch (error) {
      return Promise.reject(error)
    }
    return opening.then((transport) => {
      if (this.#abort !== undefined && !this.#abort.signal.aborted) {
        this.transport = transport
        this.#abort = undefined
      }
      return transport
    })
  }

  refused(error: MqttError, fatal: boolean): void {
    this.failure = error
    this.fatal = fatal
  }

  /** Stops a connector that is still opening, and drops bytes not yet written. */
  abort(): void {
    // After open there is nothing to stop (and no AbortError worth building on every close).
    this.#abort?.abort()
    this.discard()
  }

  /**
   * Queues the session's packets for the transport. They are written together at the end of the current
   * event-loop turn (or as soon as COALESCE_LIMIT bytes are waiting): a burst of publishes — even a loop
   * awaiting each one — costs one system call per turn instead of one per packet.
   */
  write(chunks: Uint8Array[]): void {
    for (const chunk of chunks) {
      this.#queued.push(chunk)
      this.#queuedBytes += chunk.byteLength
    }
    if (this.#queuedBytes >= COALESCE_LIMIT) this.flush()
    else if (this.#flushHandle === undefined) this.#flushHandle = deferTask(this.#flushLater)
  }

  readonly #flushLater = (): void => {
    this.#flushHandle = undefined
    this.flush()
  }

  /** Hands everything queued to the transport now. */
  flush(): void {
    if (this.#flushHandle !== undefined) {
      cancelTask(this.#flushHandle)
      this.#flushHandle = undefined
    }
    const transport = this.transport
    const chunks = this.#queued
    if (transport === undefined || chunks.length === 0) return
    this.#queued = []
    const total = this.#queuedBytes
    this.#queuedBytes = 0
    if (chunks.length === 1 || total > COALESCE_LIMIT * 4) {
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

  /** Drops anything not yet written (the connection is gone). */
  discard(): void {
    if (this.#flushHandle !== undefined) cancelTask(this.#flushHandle)
    this.#flushHandle = undefined
    this.#queued = []
    this.#queuedBytes = 0
  }
}

// "After the current turn" (after pending I/O has been read): setImmediate on Node, a zero-delay timeout elsewhere.
type TaskHandle = ReturnType<typeof setTimeout>
export const deferTask: (task: () => void) => TaskHandle =
  typeof setImmediate === 'function'
    ? (task) => setImmediate(task) as unknown as TaskHandle
    : (task) => setTimeout(task, 0)
const cancelTask: (handle: TaskHandle) => void =
  typeof clearImmediate === 'function'
    ? (handle) => clearImmediate(handle as unknown as ReturnType<typeof setImmediate>)
    : (handle) => clearTimeout(handle)
