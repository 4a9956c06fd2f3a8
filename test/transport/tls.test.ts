import assert from 'node:assert/strict'
import { createServer as createNetServer } from 'node:net'
import { describe, test } from 'node:test'
import { createServer, type TlsOptions } from 'node:tls'
import { TransportError } from '../../src/transport/errors.js'
import { type TlsConnectorOptions, tlsConnector } from '../../src/transport/tls-node.js'
import type { Transport } from '../../src/transport/types.js'
import { CLIENT_KEY_PASSPHRASE, testCertificates } from '../support/certs.js'
import { type Recorder, recorder, settle, TestServer } from './harness.js'

async function tlsEchoServer(extra: TlsOptions = {}): Promise<TestServer> {
  const certs = await testCertificates()
  const server = createServer({ cert: certs.serverCert.pem, key: certs.serverKey.pem, ...extra })
  return new TestServer(server, { echo: true, tls: true }).listen(0, '127.0.0.1')
}

/** Connects, checks that one byte makes the round trip, then closes. */
async function roundTrip(options: TlsConnectorOptions): Promise<Transport> {
  const rec = recorder()
  const transport = await tlsConnector(options)(rec)
  transport.write(new Uint8Array([0xc0, 0x00]))
  assert.deepEqual([...(await rec.received(2))], [0xc0, 0x00])
  transport.end()
  assert.equal(await rec.closed, undefined)
  return transport
}

function assertTlsError(error: unknown, causeCode?: string): true {
  assert.ok(error instanceof TransportError)
  assert.equal(error.code, 'ERR_TLS')
  assert.ok(error.cause instanceof Error)
  if (causeCode !== undefined) assert.equal((error.cause as Error & { code?: string }).code, causeCode)
  return true
}

describe('tlsConnector', () => {
  test('completes the handshake with the right CA and echoes bytes', async () => {
    const certs = await testCertificates()
    const server = await tlsEchoServer()
    const transport = await roundTrip({
      host: '127.0.0.1',
      port: server.port,
      ca: certs.ca.pem,
      localAddress: '127.0.0.1',
    })
    assert.equal(transport.remoteAddress, '127.0.0.1')
    // By name: SNI and the certificate check use "localhost".
    await roundTrip({ host: 'localhost', port: server.port, ca: certs.ca.pem })
    await server.close()
  })

  test('an untrusted certificate rejects with ERR_TLS and the reason', async () => {
    const certs = await testCertificates()
    const server = await tlsEchoServer()
    await assert.rejects(
      tlsConnector({ host: '127.0.0.1', port: server.port, ca: certs.otherCa.pem })(recorder()),
      (e) => assertTlsError(e, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
    )
    await assert.rejects(tlsConnector({ host: '127.0.0.1', port: server.port })(recorder()), (e) => assertTlsError(e))
    await settle()
    assert.equal(server.sockets.size, 0)
    await server.close()
  })

  test('a host name the certificate does not cover rejects with ERR_TLS (hostname mismatch)', async () => {
    const certs = await testCertificates()
    const server = await tlsEchoServer()
    const connector = tlsConnector({
      host: '127.0.0.1',
      port: server.port,
      ca: certs.ca.pem,
      servername: 'example.com',
    })
    await assert.rejects(connector(recorder()), (e) => assertTlsError(e, 'ERR_TLS_CERT_ALTNAME_INVALID'))
    await server.close()
  })

  test('rejectUnauthorized: false accepts an untrusted certificate', async () => {
    const server = await tlsEchoServer()
    await roundTrip({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false })
    await server.close()
  })

  test('presents a client certificate (plain or passphrase-encrypted key) when the server requires one', async () => {
    const certs = await testCertificates()
    const server = await tlsEchoServer({ requestCert: true, rejectUnauthorized: true, ca: certs.ca.pem })
    const base = { host: '127.0.0.1', port: server.port, ca: certs.ca.pem, cert: certs.clientCert.pem }
    await roundTrip({ ...base, key: certs.clientKey.pem })
    await roundTrip({ ...base, key: certs.clientKeyEncrypted.pem, passphrase: CLIENT_KEY_PASSPHRASE })
    await assert.rejects(
      tlsConnector({ ...base, key: certs.clientKeyEncrypted.pem, passphrase: 'wrong' })(recorder()),
      (e) => assertTlsError(e),
    )
    await server.close()
  })

  test('without the required client certificate the connection fails with ERR_TLS', async () => {
    const certs = await testCertificates()
    const server = await tlsEchoServer({ requestCert: true, rejectUnauthorized: true, ca: certs.ca.pem })
    const rec: Recorder = recorder()
    // TLS 1.3 finishes the client's side of the handshake before the server checks the client, so the
    // refusal may come as the connector's rejection or as the first event of the open connection.
    try {
      const transport = await tlsConnector({ host: '127.0.0.1', port: server.port, ca: certs.ca.pem })(rec)
      transport.write(new Uint8Array([1]))
      assertTlsError(await rec.closed)
    } catch (error) {
      assertTlsError(error)
    }
    await settle()
    assert.ok(rec.closes.length <= 1)
    await server.close()
  })

  test('aborting during the handshake rejects with ERR_ABORTED and closes the socket', async () => {
    // A server that accepts TCP but never answers the ClientHello.
    const silent = await new TestServer(createNetServer(), { echo: false }).listen(0, '127.0.0.1')
    const controller = new AbortController()
    const pending = tlsConnector({ host: '127.0.0.1', port: silent.port })(recorder(), controller.signal)
    const peer = await silent.nextSocket()
    controller.abort()
    await assert.rejects(pending, { code: 'ERR_ABORTED' })
    await new Promise((resolve) => peer.once('close', resolve))
    await silent.close()
  })

  test('a refused port rejects with ERR_CONNECT, not ERR_TLS', async () => {
    const server = await tlsEchoServer()
    const port = server.port
    await server.close()
    await assert.rejects(tlsConnector({ host: '127.0.0.1', port })(recorder()), { code: 'ERR_CONNECT' })
  })

  test('a server that hangs up during the handshake rejects with ERR_TLS', async () => {
    const rude = await new TestServer(
      createNetServer((socket) => socket.destroy()),
      { echo: false },
    ).listen(0, '127.0.0.1')
    await assert.rejects(tlsConnector({ host: '127.0.0.1', port: rude.port })(recorder()), { code: 'ERR_TLS' })
    await rude.close()
  })
})
