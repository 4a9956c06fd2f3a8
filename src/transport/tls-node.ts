// MQTT over TLS (node:tls). Resolves after the handshake, so certificate problems surface as ERR_TLS from
// the connector rather than as a closed connection later.
import { isIP, type Socket } from 'node:net'
import { type ConnectionOptions, connect, type SecureContext, type TLSSocket } from 'node:tls'
import { TransportError } from './errors.js'
import { classifyNetError, connectSocket, errorCode, type SocketPhase } from './socket-node.js'
import type { TransportConnector } from './types.js'
import { hostPort } from './url.js'

export type Pem = string | Buffer | Array<string | Buffer>

export interface TlsConnectorOptions {
  host: string
  port: number
  /** Trusted CA certificates (PEM); default: Node's bundled roots. */
  ca?: Pem
  /** Client certificate chain (PEM), for brokers that require one. */
  cert?: Pem
  /** Client private key (PEM). */
  key?: Pem
  /** Passphrase of an encrypted `key`. */
  passphrase?: string
  /** SNI and certificate host name; default: `host` unless it is an IP address. */
  servername?: string
  /** ALPN protocol names offered, e.g. ['mqtt'] (AWS IoT on port 443 wants 'x-amzn-mqtt-ca'). */
  alpn?: string[]
  /** Default true. false accepts any certificate: for development only. */
  rejectUnauthorized?: boolean
  /** A prepared context; overrides ca/cert/key/passphrase. */
  secureContext?: SecureContext
  localAddress?: string
}

/** Human words for the verification failures people meet most. */
const CERTIFICATE_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed CA that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is signed by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer of the server certificate is unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is signed by an unknown CA',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet',
  CERT_REVOKED: 'the server certificate is revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname mismatch: the server certificate is not for this host',
}

export function tlsReason(error: Error): string {
  const code = errorCode(error)
  const known = code === undefined ? undefined : CERTIFICATE_REASONS[code]
  return known === undefined ? error.message : `${known} (${code}: ${error.message})`
}

/** Errors that come from OpenSSL or Node's TLS layer rather than from the network. */
export function isTlsError(error: Error): boolean {
  const code = errorCode(error)
  if (code === undefined) return false
  return code in CERTIFICATE_REASONS || /^ERR_(SSL|OSSL|TLS)_/.test(code) || /CERT/.test(code)
}

/**
 * `over`: a connected socket to run TLS on (a proxy tunnel to host:port) instead of opening one; host still
 * names the server for SNI and the certificate check.
 */
export function tlsConnector(options: TlsConnectorOptions, over?: Socket): TransportConnector {
  const target = hostPort(options.host, options.port)
  // SNI must not carry an IP address (RFC 6066 section 3).
  const servername = options.servername ?? (isIP(options.host) === 0 ? options.host : undefined)
  return (handlers, signal) => {
    // Once TCP is up, a failure before the handshake completes is the handshake's fault (e.g. the broker
    // hung up on an unacceptable certificate); before that it is an ordinary connect failure.
    let tcpConnected = over !== undefined
    const classify = (error: Error, phase: SocketPhase): TransportError => {
      if (error instanceof TransportError) return error
      const handshake = phase === 'connecting' && tcpConnected
      if (!handshake && !isTlsError(error)) return classifyNetError(error, phase, target)
      return new TransportError('ERR_TLS', `TLS with ${target} failed: ${tlsReason(error)}`, { cause: error })
    }
    const open = (): TLSSocket => {
      // localAddress reaches the underlying net.Socket; Node's typings leave it out of ConnectionOptions.
      const connectOptions: ConnectionOptions & { localAddress?: string } = {
        host: options.host,
        port: options.port,
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        passphrase: options.passphrase,
        servername,
        ALPNProtocols: options.alpn,
        rejectUnauthorized: options.rejectUnauthorized ?? true,
        secureContext: options.secureContext,
        localAddress: options.localAddress,
        socket: over,
      }
      const socket = connect(connectOptions)
      socket.setNoDelay(true)
      socket.once('connect', () => {
        tcpConnected = true
      })
      return socket
    }
    return connectSocket({ target, readyEvent: 'secureConnect', open, classify }, handlers, signal)
  }
}
