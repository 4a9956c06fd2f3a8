// A WebSocket-to-TCP bridge on loopback for tests: each WebSocket connection gets its own TCP connection to
// a broker (Debian's Mosquitto has no websockets listener), binary frames in, binary frames out. Frames sent
// to the client can be re-cut: 'bytewise' sends every byte in its own frame (packets split across frames),
// 'coalesce' gathers what arrives within a few milliseconds into one frame (several packets per frame).
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'

export type Reframe = 'as-is' | 'bytewise' | 'coalesce'

export interface WsBridgeOptions {
  /** TCP port of the broker on 127.0.0.1. */
  targetPort: number
  reframe?: Reframe
  /** Milliseconds 'coalesce' waits to gather bytes. Default 5. */
  coalesceMs?: number
}

export interface WsBridge {
  readonly port: number
  /** ws://127.0.0.1:port/mqtt */
  readonly url: string
  /** Frames sent to clients so far, and their byte count. */
  readonly stats: { frames: number; bytes: number }
  close(): Promise<void>
}

export async function startWsBridge(options: WsBridgeOptions): Promise<WsBridge> {
  const reframe = options.reframe ?? 'as-is'
  const server: Server = createServer()
  const wss = new WebSocketServer({ server, handleProtocols: (offered) => (offered.has('mqtt') ? 'mqtt' : false) })
  const sockets = new Set<Socket>()
  const stats = { frames: 0, bytes: 0 }

  const sendFrame = (ws: WebSocket, bytes: Buffer) => {
    stats.frames++
    stats.bytes += bytes.length
    ws.send(bytes, { binary: true })
  }

  wss.on('connection', (ws) => {
    const tcp = connect({ host: '127.0.0.1', port: options.targetPort })
    sockets.add(tcp)
    let pending: Buffer[] = []
    let timer: NodeJS.Timeout | undefined
    const flush = () => {
      timer = undefined
      if (pending.length > 0 && ws.readyState === ws.OPEN) sendFrame(ws, Buffer.concat(pending))
      pending = []
    }
    tcp.on('data', (data: Buffer) => {
      if (ws.readyState !== ws.OPEN) return
      if (reframe === 'bytewise') for (const byte of data) sendFrame(ws, Buffer.of(byte))
      else if (reframe === 'coalesce') {
        pending.push(data)
        timer ??= setTimeout(flush, options.coalesceMs ?? 5)
      } else sendFrame(ws, data)
    })
    tcp.on('error', () => ws.terminate())
    tcp.on('close', () => {
      clearTimeout(timer)
      sockets.delete(tcp)
      flush()
      ws.close()
    })
    ws.on('message', (data: Buffer) => tcp.write(data))
    ws.on('close', () => tcp.end())
    ws.on('error', () => tcp.destroy())
  })

  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('bridge is not listening on a port')
  const port = address.port
  return {
    port,
    url: `ws://127.0.0.1:${port}/mqtt`,
    stats,
    async close() {
      for (const ws of wss.clients) ws.terminate()
      for (const tcp of sockets) tcp.destroy()
      wss.close()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
