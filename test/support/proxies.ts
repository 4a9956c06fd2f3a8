// Minimal proxies on loopback for tests: a SOCKS server (SOCKS4, 4a and 5 with optional user/password, RFC
// 1928 / 1929) and an HTTP CONNECT proxy (optional Basic credentials). Each records the tunnels it was asked
// for, and close() ends every connection it made.
import { once } from 'node:events'
import { connect, createServer, type Server, type Socket } from 'node:net'

export interface TunnelRequest {
  kind: 'socks4' | 'socks4a' | 'socks5' | 'http'
  host: string
  port: number
  /** SOCKS4 user id, SOCKS5 / HTTP user name. */
  user?: string
}

export interface TestProxy {
  readonly port: number
  /** e.g. socks5://127.0.0.1:port or http://127.0.0.1:port */
  url(scheme: string, credentials?: string): string
  readonly requests: TunnelRequest[]
  close(): Promise<void>
}

export interface ProxyCredentials {
  username: string
  password: string
}

/** Reads exact byte counts from a socket that delivers arbitrary chunks. */
class ByteReader {
  private buffered = Buffer.alloc(0)
  private wake: (() => void) | undefined
  private ended = false

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk])
      this.wake?.()
    })
    socket.on('close', () => {
      this.ended = true
      this.wake?.()
    })
  }

  private async waitFor(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.ended) throw new Error('client left')
      await new Promise<void>((resolve) => {
        this.wake = resolve
      })
    }
  }

  async take(n: number): Promise<Buffer> {
    await this.waitFor(() => this.buffered.length >= n)
    const bytes = this.buffered.subarray(0, n)
    this.buffered = this.buffered.subarray(n)
    return bytes
  }

  /** Bytes up to and including `delimiter`. */
  async takeThrough(delimiter: Buffer): Promise<Buffer> {
    await this.waitFor(() => this.buffered.includes(delimiter))
    return this.take(this.buffered.indexOf(delimiter) + delimiter.length)
  }

  /** Stops reading; what is left goes on to the tunnel. */
  detach(): Buffer {
    this.socket.removeAllListeners('data')
    this.socket.pause()
    return this.buffered
  }
}

function tunnel(client: Socket, reader: ByteReader, target: Socket, sockets: Set<Socket>): void {
  sockets.add(target)
  target.on('close', () => sockets.delete(target))
  const rest = reader.detach()
  if (rest.length > 0) target.write(rest)
  client.pipe(target)
  target.pipe(client)
  client.resume()
  target.on('error', () => client.destroy())
  client.on('close', () => target.destroy())
  target.on('close', () => client.destroy())
}

function dial(host: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    socket.once('connect', () => resolve(socket))
    socket.once('error', () => resolve(undefined))
  })
}

async function startServer(
  handle: (socket: Socket, reader: ByteReader, sockets: Set<Socket>) => Promise<void>,
  requests: TunnelRequest[],
): Promise<TestProxy> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    handle(socket, new ByteReader(socket), sockets).catch(() => socket.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy is not listening on a port')
  return {
    port: address.port,
    url: (scheme, credentials) =>
      `${scheme}://${credentials === undefined ? '' : `${credentials}@`}127.0.0.1:${address.port}`,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

async function socks4(socket: Socket, reader: ByteReader, sockets: Set<Socket>, requests: TunnelRequest[]) {
  const head = await reader.take(7) // (version read already) command, port, IPv4 address
  const port = head.readUInt16BE(1)
  const user = (await reader.takeThrough(Buffer.of(0))).subarray(0, -1).toString()
  const ip = [...head.subarray(3, 7)]
  // 0.0.0.x (x > 0) is SOCKS4a's sign that a host name follows.
  const is4a = ip[0] === 0 && ip[1] === 0 && ip[2] === 0 && ip[3] !== 0
  const host = is4a ? (await reader.takeThrough(Buffer.of(0))).subarray(0, -1).toString() : ip.join('.')
  requests.push({ kind: is4a ? 'socks4a' : 'socks4', host, port, ...(user === '' ? {} : { user }) })
  const target = await dial(host, port)
  socket.write(Buffer.of(0, target === undefined ? 0x5b : 0x5a, 0, 0, 0, 0, 0, 0))
  if (target === undefined) socket.end()
  else tunnel(socket, reader, target, sockets)
}

async function socks5(
  socket: Socket,
  reader: ByteReader,
  sockets: Set<Socket>,
  requests: TunnelRequest[],
  credentials?: ProxyCredentials,
) {
  const methods = [...(await reader.take((await reader.take(1))[0] ?? 0))]
  const wanted = credentials === undefined ? 0x00 : 0x02
  if (!methods.includes(wanted)) {
    socket.end(Buffer.of(5, 0xff))
    return
  }
  socket.write(Buffer.of(5, wanted))
  let user: string | undefined
  if (credentials !== undefined) {
    await reader.take(1) // sub-negotiation version
    user = (await reader.take((await reader.take(1))[0] ?? 0)).toString()
    const password = (await reader.take((await reader.take(1))[0] ?? 0)).toString()
    const ok = user === credentials.username && password === credentials.password
    socket.write(Buffer.of(1, ok ? 0 : 1))
    if (!ok) {
      socket.end()
      return
    }
  }
  const [, , , type] = [...(await reader.take(4))]
  let host: string
  if (type === 1) host = [...(await reader.take(4))].join('.')
  else if (type === 3) host = (await reader.take((await reader.take(1))[0] ?? 0)).toString()
  else throw new Error('IPv6 destinations are not needed by these tests')
  const port = (await reader.take(2)).readUInt16BE(0)
  requests.push({ kind: 'socks5', host, port, ...(user === undefined ? {} : { user }) })
  const target = await dial(host, port)
  socket.write(Buffer.of(5, target === undefined ? 5 : 0, 0, 1, 0, 0, 0, 0, 0, 0))
  if (target === undefined) socket.end()
  else tunnel(socket, reader, target, sockets)
}

/** A SOCKS4 / 4a / 5 server; with credentials, SOCKS5 clients must log in with them. */
export function startSocksProxy(credentials?: ProxyCredentials): Promise<TestProxy> {
  const requests: TunnelRequest[] = []
  return startServer(async (socket, reader, sockets) => {
    const version = (await reader.take(1))[0]
    if (version === 4) await socks4(socket, reader, sockets, requests)
    else if (version === 5) await socks5(socket, reader, sockets, requests, credentials)
    else socket.destroy()
  }, requests)
}

/** An HTTP CONNECT proxy; with credentials, requests without the right Proxy-Authorization get 407. */
export function startHttpProxy(credentials?: ProxyCredentials): Promise<TestProxy> {
  const requests: TunnelRequest[] = []
  return startServer(async (socket, reader, sockets) => {
    const head = (await reader.takeThrough(Buffer.from('\r\n\r\n'))).toString('latin1')
    const match = /^CONNECT (\[[^\]]+\]|[^:\s]+):(\d+) HTTP\/1\.1\r\n/.exec(head)
    if (match === null) {
      socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n')
      return
    }
    const authorization = /\r\nProxy-Authorization: Basic ([^\r]+)/i.exec(head)?.[1]
    const user = authorization === undefined ? undefined : Buffer.from(authorization, 'base64').toString()
    if (credentials !== undefined && user !== `${credentials.username}:${credentials.password}`) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n')
      return
    }
    const host = (match[1] ?? '').replace(/^\[|\]$/g, '')
    const port = Number(match[2])
    requests.push({ kind: 'http', host, port, ...(user === undefined ? {} : { user: user.split(':')[0] }) })
    const target = await dial(host, port)
    if (target === undefined) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
      return
    }
    socket.write('HTTP/1.1 200 Connection established\r\n\r\n')
    tunnel(socket, reader, target, sockets)
  }, requests)
}
