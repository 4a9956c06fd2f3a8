// The embedded development broker: Aedes (MQTT 3.1 / 3.1.1; Aedes does not speak MQTT 5) on a TCP port
// and optionally a WebSocket port. Used by `petrel broker`, the demo and the tests. close() leaves nothing
// behind: every connection, listener and Aedes timer is gone when its promise resolves.
import { createServer, type Server, type Socket } from 'node:net'
import { MqttError } from '../packet/errors.js'
import { loadOptional } from '../transport/optional.js'
import { createWebSocketListener, type WebSocketListener } from './websocket-listener.js'

/** Console-compatible; every method optional. */
export interface BrokerLogger {
  debug?(message: string): void
  info?(message: string): void
  warn?(message: string): void
}

export interface BrokerOptions {
  /** TCP port; 0 picks a free one. Default 1883. */
  port?: number
  /** Address to listen on. Default '127.0.0.1' (loopback only). */
  host?: string
  /** WebSocket port (0 picks a free one); no WebSocket listener unless given. Needs the `ws` package. */
  wsPort?: number
  logger?: BrokerLogger
}

/** The part of the Aedes instance most callers need; the object is the real Aedes broker. */
export interface AedesInstance {
  readonly id: string
  readonly connectedClients: number
  on(event: string, listener: (...args: never[]) => void): unknown
  publish(
    packet: { topic: string; payload: string | Uint8Array; qos?: 0 | 1 | 2; retain?: boolean },
    callback: (error?: Error) => void,
  ): void
}

export interface EmbeddedBroker {
  readonly port: number
  readonly wsPort?: number
  /** mqtt://host:port */
  readonly url: string
  /** ws://host:wsPort/mqtt when a WebSocket listener runs. */
  readonly wsUrl?: string
  readonly aedes: AedesInstance
  /** Disconnects every client, closes every listener, and resolves when all of them are closed. */
  close(): Promise<void>
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) =>
      reject(new MqttError('ERR_LISTEN', `cannot listen on ${host}:${port}: ${error.message}`, { cause: error }))
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address !== null ? address.port : port)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) resolve()
    else server.close(() => resolve())
  })
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

export async function startBroker(options: BrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1'
  const { Aedes } = await loadOptional('aedes', 'the embedded broker', () => import('aedes'))
  const aedes = await Aedes.createBroker()
  const logger = options.logger
  aedes.on('client', (client) => logger?.debug?.(`client connected: ${client.id}`))
  aedes.on('clientDisconnect', (client) => logger?.debug?.(`client disconnected: ${client.id}`))
  aedes.on('clientError', (client, error) => logger?.warn?.(`client ${client.id} error: ${error.message}`))
  aedes.on('connectionError', (_client, error) => logger?.warn?.(`connection error: ${error.message}`))

  // Aedes only knows clients that sent CONNECT; the raw sockets are tracked so close() ends them all.
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }
  const servers: Server[] = []
  let webSocket: WebSocketListener | undefined

  let closing: Promise<void> | undefined
  const shutDown = async () => {
    const serversClosed = servers.map(closeServer)
    await new Promise<void>((resolve) => aedes.close(() => resolve()))
    webSocket?.closeSockets()
    for (const socket of sockets) socket.destroy()
    await Promise.all(serversClosed)
  }
  const close = () => {
    closing ??= shutDown()
    return closing
  }

  try {
    // Nagle off on accepted sockets: small MQTT packets would otherwise wait ~40 ms for the peer's delayed ACK.
    const tcp = createServer({ noDelay: true }, (socket) => {
      track(socket)
      aedes.handle(socket)
    })
    servers.push(tcp)
    const port = await listen(tcp, options.port ?? 1883, host)
    let wsPort: number | undefined
    if (options.wsPort !== undefined) {
      webSocket = await createWebSocketListener((stream, request) => aedes.handle(stream, request))
      webSocket.server.on('connection', track)
      servers.push(webSocket.server)
      wsPort = await listen(webSocket.server, options.wsPort, host)
    }
    logger?.info?.(`embedded broker listening on mqtt://${urlHost(host)}:${port}`)
    return {
      port,
      wsPort,
      url: `mqtt://${urlHost(host)}:${port}`,
      wsUrl: wsPort === undefined ? undefined : `ws://${urlHost(host)}:${wsPort}/mqtt`,
      aedes: aedes as unknown as AedesInstance,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
