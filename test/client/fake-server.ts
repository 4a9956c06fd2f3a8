// A scripted MQTT server for client tests that need exact behaviour (refusals, CONNACK properties,
// silence, dropped connections): a node:net server that decodes what the client sends with the codec and
// writes whatever packets the test tells it to.
import { createServer, type Server, type Socket } from 'node:net'
import { Decoder } from '../../src/packet/decode.js'
import { encode } from '../../src/packet/encode.js'
import type { Packet, PacketType, Properties, ProtocolVersion } from '../../src/packet/types.js'

const WAIT_MS = 5_000

export class FakeConnection {
  readonly received: Packet[] = []
  version: ProtocolVersion = 5
  closed = false
  readonly #socket: Socket
  readonly #decoder = new Decoder()
  #waiters: Array<{ type?: PacketType; resolve(packet: Packet): void }> = []
  readonly #returned = new Set<number>()
  readonly #closedWaiters: Array<() => void> = []

  constructor(socket: Socket) {
    this.#socket = socket
    socket.on('data', (chunk: Buffer) => {
      for (const packet of this.#decoder.push(chunk)) {
        if (packet.type === 'connect') this.version = packet.protocolVersion
        this.#decoder.protocolVersion = this.version
        this.received.push(packet)
        this.#wake()
      }
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      this.closed = true
      for (const resolve of this.#closedWaiters.splice(0)) resolve()
    })
  }

  /** The first received packet (of `type`, if given) that next() has not returned yet; waits for one. */
  next<T extends PacketType>(type?: T, ms = WAIT_MS): Promise<Extract<Packet, { type: T }>> {
    return new Promise((resolve, reject) => {
      const waiter = {
        type,
        resolve: (packet: Packet) => {
          clearTimeout(timer)
          resolve(packet as Extract<Packet, { type: T }>)
        },
      }
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter)
        reject(new Error(`no ${type ?? 'packet'} within ${ms} ms`))
      }, ms)
      this.#waiters.push(waiter)
      this.#wake()
    })
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) {
      const index = this.received.findIndex(
        (p, i) => !this.#returned.has(i) && (!waiter.type || p.type === waiter.type),
      )
      if (index === -1) continue
      this.#returned.add(index)
      this.#waiters = this.#waiters.filter((w) => w !== waiter)
      waiter.resolve(this.received[index] as Packet)
    }
  }

  sendRaw(bytes: Uint8Array): void {
    this.#socket.write(bytes)
  }

  send(packet: Packet): void {
    this.#socket.write(encode(packet, this.version))
  }

  /** Accepts the CONNECT that must come first. */
  async accept(options: { sessionPresent?: boolean; reasonCode?: number; properties?: Properties } = {}) {
    const connect = await this.next('connect')
    this.send({ type: 'connack', sessionPresent: false, reasonCode: 0, ...options })
    return connect
  }

  /** Resolves once the client's socket is closed. */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve()
    return new Promise((resolve) => this.#closedWaiters.push(resolve))
  }

  destroy(): void {
    this.#socket.destroy()
  }
}

export interface FakeServer {
  readonly port: number
  readonly url: string
  readonly connections: FakeConnection[]
  /** The next connection to arrive (or one that arrived and was not taken yet). */
  nextConnection(ms?: number): Promise<FakeConnection>
  close(): Promise<void>
}

export async function startFakeServer(): Promise<FakeServer> {
  const connections: FakeConnection[] = []
  const sockets = new Set<Socket>()
  let taken = 0
  const waiters: Array<(connection: FakeConnection) => void> = []
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    const connection = new FakeConnection(socket)
    connections.push(connection)
    const waiter = waiters.shift()
    if (waiter !== undefined) {
      taken++
      waiter(connection)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    connections,
    nextConnection(ms = WAIT_MS) {
      if (taken < connections.length) return Promise.resolve(connections[taken++] as FakeConnection)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no connection within ${ms} ms`)), ms)
        waiters.push((connection) => {
          clearTimeout(timer)
          resolve(connection)
        })
      })
    },
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
