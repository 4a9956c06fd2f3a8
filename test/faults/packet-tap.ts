// A TCP proxy that forwards bytes unchanged and records the MQTT packets going each way, in order, so a test
// can judge a client by what actually crossed the wire. A connection that dies takes its peer down with it.
import { once } from 'node:events'
import { createServer, type Socket, connect as tcpConnect } from 'node:net'
import { Decoder } from '../../src/index.js'
import type { Packet, ProtocolVersion } from '../../src/packet/types.js'

export interface TappedPacket {
  /** 1 for the first connection through the tap, 2 for the next, … */
  connection: number
  from: 'client' | 'server'
  packet: Packet
}

export interface PacketTap {
  readonly url: string
  /** Every packet decoded so far, in the order the tap saw them. */
  readonly packets: TappedPacket[]
  close(): Promise<void>
}

export async function startPacketTap(targetPort: number, protocolVersion: ProtocolVersion): Promise<PacketTap> {
  const packets: TappedPacket[] = []
  const sockets = new Set<Socket>()
  let connections = 0
  const pipe = (source: Socket, sink: Socket, connection: number, from: TappedPacket['from']) => {
    const decoder = new Decoder({ protocolVersion })
    let decoding = true
    source.on('data', (chunk: Buffer) => {
      if (decoding) {
        try {
          for (const packet of decoder.push(chunk)) packets.push({ connection, from, packet })
        } catch {
          decoding = false // forward the rest unread: the test judges what it could decode
        }
      }
      sink.write(chunk)
    })
  }
  const server = createServer((client) => {
    const connection = ++connections
    const upstream = tcpConnect({ host: '127.0.0.1', port: targetPort })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
    pipe(client, upstream, connection, 'client')
    pipe(upstream, client, connection, 'server')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    url: `mqtt://127.0.0.1:${address.port}`,
    packets,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
