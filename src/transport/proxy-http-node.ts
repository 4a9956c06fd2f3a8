// HTTP CONNECT (RFC 9110 section 9.3.6) over a socket already connected to the proxy: ask for a tunnel to
// host:port, read the proxy's answer, and hand the socket back once it is a byte pipe to the target.
import type { Socket } from 'node:net'
import { TransportError } from './errors.js'
import type { ProxyConfig } from './proxy-config.js'
import { hostPort } from './url.js'

/** A proxy that sends more header than this before the blank line is not talking HTTP to us. */
const MAX_RESPONSE_HEAD = 16 * 1024
const HEAD_END = '\r\n\r\n'

export function httpConnectRequest(proxy: ProxyConfig, host: string, port: number): string {
  const target = hostPort(host, port)
  const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`]
  if (proxy.username !== undefined) {
    const credentials = Buffer.from(`${proxy.username}:${proxy.password ?? ''}`, 'utf8').toString('base64')
    lines.push(`Proxy-Authorization: Basic ${credentials}`)
  }
  return `${lines.join('\r\n')}${HEAD_END}`
}

/** Resolves with the same socket once the proxy answered 2xx; rejects with 'ERR_PROXY' otherwise. */
export function httpConnectHandshake(socket: Socket, proxy: ProxyConfig, host: string, port: number): Promise<Socket> {
  const via = `HTTP proxy ${hostPort(proxy.host, proxy.port)}`
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0)
    const detach = () => {
      socket.off('data', onData)
      socket.off('close', onClose)
    }
    const onClose = () => {
      detach()
      reject(new TransportError('ERR_PROXY', `${via} closed the connection before answering CONNECT`))
    }
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf(HEAD_END)
      if (end === -1) {
        if (head.length <= MAX_RESPONSE_HEAD) return
        detach()
        socket.destroy()
        reject(new TransportError('ERR_PROXY', `${via} sent no HTTP response head`))
        return
      }
      detach()
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1')
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]
      if (status === undefined || !status.startsWith('2')) {
        socket.destroy()
        const why = status === '407' ? 'wants (other) credentials' : `refused the tunnel: '${statusLine}'`
        reject(new TransportError('ERR_PROXY', `${via} ${why}`))
        return
      }
      // Bytes after the head already belong to the tunnel (an eager broker): give them back to the stream.
      const rest = head.subarray(end + HEAD_END.length)
      if (rest.length > 0) socket.unshift(rest)
      resolve(socket)
    }
    socket.on('data', onData)
    socket.on('close', onClose)
    socket.write(httpConnectRequest(proxy, host, port))
  })
}
