// MQTT over WebSocket for the embedded broker: an HTTP server whose upgrades become duplex streams that
// Aedes reads like TCP sockets. Any path is accepted; the subprotocol is 'mqtt' (or 'mqttv3.1' for 3.1).
import type { IncomingMessage } from 'node:http'
import { createServer, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { loadOptional } from '../transport/optional.js'

/** Picks the MQTT subprotocol a client offered; offering none is accepted too. */
function chooseSubprotocol(offered: Set<string>): string | false {
  if (offered.has('mqtt')) return 'mqtt'
  if (offered.has('mqttv3.1')) return 'mqttv3.1'
  return false
}

export interface WebSocketListener {
  server: Server
  /** Stops accepting and ends every WebSocket; the HTTP server's own close is the caller's. */
  closeSockets(): void
}

export async function createWebSocketListener(
  handle: (stream: Duplex, request: IncomingMessage) => void,
): Promise<WebSocketListener> {
  const { WebSocketServer, createWebSocketStream } = await loadOptional(
    'ws',
    "the embedded broker's WebSocket listener",
    () => import('ws'),
  )
  const server = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' })
    response.end('MQTT over WebSocket only\n')
  })
  const wss = new WebSocketServer({ server, handleProtocols: chooseSubprotocol })
  wss.on('connection', (socket, request) => {
    const stream = createWebSocketStream(socket)
    handle(stream, request)
  })
  return {
    server,
    closeSockets() {
      for (const socket of wss.clients) socket.terminate()
      wss.close()
    },
  }
}
