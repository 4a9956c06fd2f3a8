// A TCP proxy on loopback that sits between a client and a broker and breaks the network on command:
// cut (FIN), reset (RST), black hole (half-open), delay, throttle, split into small pieces, pause, refuse.
// Faults apply to current and future connections. close() ends every socket and timer it made.
import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import { FaultPipe, type FaultSettings, type Flow } from './fault-pipe.js'

export type Direction = Flow | 'both'

export interface FaultProxyOptions {
  /** Default '127.0.0.1'. */
  targetHost?: string
  targetPort: number
}

export interface FaultProxy {
  readonly port: number
  /** mqtt://127.0.0.1:port */
  readonly url: string
  /** Client connections currently open (including ones held by pause()). */
  readonly connections: number
  /** Bytes forwarded so far: up = client → broker, down = broker → client. */
  readonly bytes: { readonly up: number; readonly down: number }
  /** FIN every current connection, in one direction or both ('up': the broker sees the FIN). */
  cut(options?: { direction?: Direction }): void
  /** RST both sides of every current connection. */
  reset(): void
  /** On: accept bytes and forward nothing, answer nothing, not even a FIN (a half-open path). Bytes dropped meanwhile are gone. */
  blackhole(on: boolean): void
  /** Hold every chunk this long (both directions); 0 = off. */
  delay(ms: number): void
  /** Limit each direction of each connection to this rate; 0 = off. */
  throttle(bytesPerSecond: number): void
  /** Forward in pieces of at most n bytes, each written separately; 0 = off. */
  splitEvery(n: number): void
  /** Stop forwarding (bytes wait in the proxy) and hold new connections without reaching the broker. */
  pause(): void
  resume(): void
  /** On: new connections are closed at once. */
  refuse(on: boolean): void
  close(): Promise<void>
}

interface ProxiedConnection {
  client: Socket
  upstream: Socket | undefined
  pipes: Record<Flow, FaultPipe | undefined>
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1'
  const settings: FaultSettings = { blackhole: false, paused: false, delayMs: 0, bytesPerSecond: 0, splitEvery: 0 }
  const bytes = { up: 0, down: 0 }
  const live = new Set<ProxiedConnection>()
  const held: ProxiedConnection[] = []
  let refusing = false

  const sockets = (connection: ProxiedConnection) =>
    connection.upstream === undefined ? [connection.client] : [connection.client, connection.upstream]

  const dispose = (connection: ProxiedConnection, hadError: boolean) => {
    if (!live.delete(connection)) return
    connection.pipes.up?.dispose()
    connection.pipes.down?.dispose()
    // One side gone means the path is gone: a reset travels on as a reset, a close as a close.
    for (const socket of sockets(connection)) {
      if (hadError && !socket.destroyed) socket.resetAndDestroy()
      else socket.destroy()
    }
  }

  const bridge = (connection: ProxiedConnection) => {
    const upstream = connect({ host: targetHost, port: options.targetPort, allowHalfOpen: true, noDelay: true })
    connection.upstream = upstream
    upstream.on('error', () => {})
    upstream.on('close', (hadError) => dispose(connection, hadError))
    connection.pipes.up = new FaultPipe(connection.client, upstream, settings, (n) => {
      bytes.up += n
    })
    connection.pipes.down = new FaultPipe(upstream, connection.client, settings, (n) => {
      bytes.down += n
    })
    connection.pipes.up.pump()
    connection.pipes.down.pump()
  }

  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (client) => {
    client.on('error', () => {})
    if (refusing) {
      client.destroy()
      return
    }
    const connection: ProxiedConnection = { client, upstream: undefined, pipes: { up: undefined, down: undefined } }
    live.add(connection)
    client.on('close', (hadError) => dispose(connection, hadError))
    if (settings.paused) held.push(connection)
    else bridge(connection)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no port')
  const port = address.port

  const repump = () => {
    for (const connection of live) {
      connection.pipes.up?.pump()
      connection.pipes.down?.pump()
    }
  }

  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    get connections() {
      return live.size
    },
    bytes,
    cut({ direction = 'both' } = {}) {
      for (const connection of live) {
        if (connection.upstream === undefined) {
          connection.client.end()
          continue
        }
        if (direction !== 'down') connection.pipes.up?.cutNow()
        if (direction !== 'up') connection.pipes.down?.cutNow()
      }
    },
    reset() {
      for (const connection of [...live]) dispose(connection, true)
    },
    blackhole(on) {
      settings.blackhole = on
    },
    delay(ms) {
      settings.delayMs = ms
    },
    throttle(bytesPerSecond) {
      settings.bytesPerSecond = bytesPerSecond
    },
    splitEvery(n) {
      settings.splitEvery = n
    },
    pause() {
      settings.paused = true
      repump()
    },
    resume() {
      settings.paused = false
      for (const connection of held.splice(0)) if (live.has(connection)) bridge(connection)
      repump()
    },
    refuse(on) {
      refusing = on
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve))
      for (const connection of [...live]) dispose(connection, false)
      held.length = 0
      await closed
    },
  }
}
