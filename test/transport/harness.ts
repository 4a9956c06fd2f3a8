// Test doubles for transport tests: recording handlers and local servers that close cleanly.
import { once } from 'node:events'
import type { Server, Socket } from 'node:net'
import type { Transport, TransportHandlers } from '../../src/transport/types.js'

export interface Recorder extends TransportHandlers {
  chunks: Uint8Array[]
  drains: number
  closes: Array<Error | undefined>
  /** Resolves with onClose's argument the first time it is called. */
  closed: Promise<Error | undefined>
  /** Resolves once `n` bytes have arrived, with all received bytes. */
  received(n: number): Promise<Buffer>
}

export function recorder(): Recorder {
  let resolveClosed: (error: Error | undefined) => void = () => {}
  const waiters: Array<{ n: number; resolve: (bytes: Buffer) => void }> = []
  const all = () => Buffer.concat(rec.chunks)
  const rec: Recorder = {
    chunks: [],
    drains: 0,
    closes: [],
    closed: new Promise((resolve) => {
      resolveClosed = resolve
    }),
    onData(chunk) {
      rec.chunks.push(chunk)
      const bytes = all()
      for (const waiter of waiters.filter((w) => bytes.length >= w.n)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(bytes)
      }
    },
    onDrain() {
      rec.drains++
    },
    onClose(error) {
      rec.closes.push(error)
      resolveClosed(error)
    },
    received(n) {
      const bytes = all()
      if (bytes.length >= n) return Promise.resolve(bytes)
      return new Promise((resolve) => waiters.push({ n, resolve }))
    },
  }
  return rec
}

/** Tracks a server's sockets so close() can end everything, and hands out accepted sockets in order. */
export class TestServer {
  readonly sockets = new Set<Socket>()
  private readonly waiting: Array<(socket: Socket) => void> = []
  private readonly accepted: Socket[] = []

  /** `echo`: send every byte back. A TLS server accepts on 'secureConnection' (after the handshake). */
  constructor(
    readonly server: Server,
    options: { echo: boolean; tls?: boolean },
  ) {
    // Raw sockets are tracked even for TLS, so close() also ends connections stuck in the handshake.
    server.on('connection', (socket: Socket) => {
      this.own(socket)
      if (options.tls !== true) this.accept(socket, options.echo)
    })
    server.on('secureConnection', (socket: Socket) => {
      this.own(socket)
      this.accept(socket, options.echo)
    })
  }

  private own(socket: Socket): void {
    this.sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => this.sockets.delete(socket))
  }

  private accept(socket: Socket, echo: boolean): void {
    if (echo) socket.pipe(socket)
    const waiter = this.waiting.shift()
    if (waiter === undefined) this.accepted.push(socket)
    else waiter(socket)
  }

  /** The next accepted (for TLS: handshaken) connection. */
  nextSocket(): Promise<Socket> {
    const socket = this.accepted.shift()
    if (socket !== undefined) return Promise.resolve(socket)
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  async listen(...args: unknown[]): Promise<this> {
    this.server.listen(...(args as []))
    await once(this.server, 'listening')
    return this
  }

  get port(): number {
    const address = this.server.address()
    if (address === null || typeof address === 'string') throw new Error('not listening on a port')
    return address.port
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise((resolve) => this.server.close(resolve))
  }
}

/** Lets pending I/O callbacks run, so "exactly once" checks also see late calls. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20))
}

/** Writes until write() returns false (the peer is not reading); returns the bytes written. */
export function fillUntilBlocked(transport: Transport, chunkSize = 64 * 1024, limit = 256): number {
  const chunk = new Uint8Array(chunkSize)
  for (let i = 1; i <= limit; i++) {
    if (!transport.write(chunk)) return i * chunkSize
  }
  throw new Error('write() never returned false')
}
