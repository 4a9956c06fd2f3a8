import assert from 'node:assert/strict'
import { createServer as createNetServer } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { createServer as createTlsServer } from 'node:tls'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import { TransportError } from '../../src/transport/errors.js'
import { bypassesProxy, parseProxyUrl, selectProxy } from '../../src/transport/proxy-config.js'
import { proxyConnector } from '../../src/transport/proxy-node.js'
import { testCertificates } from '../support/certs.js'
import { startHttpProxy, startSocksProxy, type TestProxy } from '../support/proxies.js'
import { recorder, TestServer } from './harness.js'
import { roundTrip } from './live-roundtrip.js'

const isCode = (code: string) => (error: unknown) => {
  assert.ok(error instanceof TransportError, String(error))
  assert.equal(error.code, code)
  return true
}

describe('proxy settings', () => {
  test('URLs: schemes, default port, credentials', () => {
    assert.deepEqual(parseProxyUrl('socks5://proxy.example:1081'), {
      protocol: 'socks5',
      host: 'proxy.example',
      port: 1081,
    })
    assert.deepEqual(parseProxyUrl('socks://p'), { protocol: 'socks5', host: 'p', port: 1080 })
    assert.equal(parseProxyUrl('socks5h://p:1').protocol, 'socks5')
    assert.equal(parseProxyUrl('socks4a://p:1').protocol, 'socks4a')
    assert.deepEqual(parseProxyUrl('http://us%40er:p%3Ass@[::1]:3128'), {
      protocol: 'http',
      host: '::1',
      port: 3128,
      username: 'us@er',
      password: 'p:ss',
    })
    assert.throws(() => parseProxyUrl('ftp://p:21'), isCode('ERR_INVALID_URL'))
    assert.throws(() => parseProxyUrl('not a url'), isCode('ERR_INVALID_URL'))
  })

  test('option first, false ignores the environment, mqtt_proxy otherwise', () => {
    const env = { mqtt_proxy: 'socks5://env:1080' }
    assert.equal(selectProxy('http://opt:8080', 'b', 1883, env)?.host, 'opt')
    assert.equal(selectProxy({ protocol: 'socks4', host: 'obj', port: 1 }, 'b', 1883, env)?.host, 'obj')
    assert.equal(selectProxy(false, 'b', 1883, env), undefined)
    assert.equal(selectProxy(undefined, 'b', 1883, env)?.host, 'env')
    assert.equal(selectProxy(undefined, 'b', 1883, { MQTT_PROXY: 'socks5://upper:1' })?.host, 'upper')
    assert.equal(
      selectProxy(undefined, 'b', 1883, { mqtt_proxy: 'http://lo:1', MQTT_PROXY: 'http://up:1' })?.host,
      'lo',
    )
    assert.equal(selectProxy(undefined, 'b', 1883, { mqtt_proxy: ' ' }), undefined)
    // Web proxies are for web traffic.
    assert.equal(
      selectProxy(undefined, 'b', 1883, { http_proxy: 'http://web:3128', all_proxy: 'socks5://x:1' }),
      undefined,
    )
    assert.equal(selectProxy(undefined, 'b', 1883, { ...env, no_proxy: 'b' }), undefined)
    assert.equal(selectProxy(undefined, 'b', 1883, { ...env, NO_PROXY: '*' }), undefined)
    assert.throws(() => selectProxy(undefined, 'b', 1883, { mqtt_proxy: 'gopher://x' }), isCode('ERR_INVALID_URL'))
  })

  test('no_proxy: names with subdomains, IPs, ports, wildcard', () => {
    assert.equal(bypassesProxy('broker.example.com', 1883, 'example.com'), true)
    assert.equal(bypassesProxy('broker.example.com', 1883, '.example.com'), true)
    assert.equal(bypassesProxy('broker.example.com', 1883, '*.example.com'), true)
    assert.equal(bypassesProxy('example.com', 1883, 'other.org, example.com'), true)
    assert.equal(bypassesProxy('badexample.com', 1883, 'example.com'), false)
    assert.equal(bypassesProxy('10.0.0.1', 1883, '10.0.0.1'), true)
    assert.equal(bypassesProxy('10.0.0.1', 1883, '10.0.0.2'), false)
    assert.equal(bypassesProxy('h', 1883, 'h:1883'), true)
    assert.equal(bypassesProxy('h', 8883, 'h:1883'), false)
    assert.equal(bypassesProxy('::1', 1883, '[::1]:1883'), true)
    assert.equal(bypassesProxy('::1', 1883, '::1'), true)
    assert.equal(bypassesProxy('anything', 1, 'a b *'), true)
    assert.equal(bypassesProxy('BROKER.Example.COM.', 1, 'example.com'), true)
  })
})

describe('MQTT through proxies (live, embedded broker)', () => {
  let broker: EmbeddedBroker
  let socks: TestProxy
  let socksAuth: TestProxy
  let http: TestProxy
  let httpAuth: TestProxy
  before(async () => {
    broker = await startBroker({ port: 0, wsPort: 0 })
    socks = await startSocksProxy()
    socksAuth = await startSocksProxy({ username: 'alice', password: 's3cret' })
    http = await startHttpProxy()
    httpAuth = await startHttpProxy({ username: 'bob', password: 'pw' })
  })
  after(async () => {
    await Promise.all([socks.close(), socksAuth.close(), http.close(), httpAuth.close()])
    await broker.close()
  })

  test('SOCKS5: the proxy resolves the name; user/password login', async () => {
    await roundTrip(`mqtt://localhost:${broker.port}`, { protocolVersion: 4, proxy: socks.url('socks5') })
    assert.deepEqual(socks.requests.at(-1), { kind: 'socks5', host: 'localhost', port: broker.port })
    await roundTrip(broker.url, { protocolVersion: 4, proxy: socksAuth.url('socks5', 'alice:s3cret') })
    assert.deepEqual(socksAuth.requests.at(-1), { kind: 'socks5', host: '127.0.0.1', port: broker.port, user: 'alice' })
    await assert.rejects(
      roundTrip(broker.url, { protocolVersion: 4, proxy: socksAuth.url('socks5', 'alice:wrong') }),
      isCode('ERR_PROXY'),
    )
    await assert.rejects(
      roundTrip(broker.url, { protocolVersion: 4, proxy: socksAuth.url('socks5') }),
      isCode('ERR_PROXY'),
    )
  })

  test('SOCKS4 resolves the name here; SOCKS4a lets the proxy resolve it', async () => {
    await roundTrip(`mqtt://localhost:${broker.port}`, { protocolVersion: 4, proxy: socks.url('socks4') })
    assert.deepEqual(socks.requests.at(-1), { kind: 'socks4', host: '127.0.0.1', port: broker.port })
    await roundTrip(`mqtt://localhost:${broker.port}`, {
      protocolVersion: 4,
      proxy: { protocol: 'socks4a', host: '127.0.0.1', port: socks.port, username: 'carol' },
    })
    assert.deepEqual(socks.requests.at(-1), { kind: 'socks4a', host: 'localhost', port: broker.port, user: 'carol' })
  })

  test('HTTP CONNECT, with Basic credentials; 407 without them', async () => {
    await roundTrip(broker.url, { protocolVersion: 4, proxy: http.url('http') })
    assert.deepEqual(http.requests.at(-1), { kind: 'http', host: '127.0.0.1', port: broker.port })
    await roundTrip(broker.url, { protocolVersion: 4, proxy: httpAuth.url('http', 'bob:pw') })
    assert.equal(httpAuth.requests.at(-1)?.user, 'bob')
    await assert.rejects(
      roundTrip(broker.url, { protocolVersion: 4, proxy: httpAuth.url('http') }),
      isCode('ERR_PROXY'),
    )
  })

  test('WebSocket through HTTP CONNECT and SOCKS5', async () => {
    await roundTrip(broker.wsUrl, { protocolVersion: 4, proxy: http.url('http') })
    assert.deepEqual(http.requests.at(-1), { kind: 'http', host: '127.0.0.1', port: broker.wsPort })
    await roundTrip(broker.wsUrl, { protocolVersion: 4, proxy: socks.url('socks5') })
    assert.deepEqual(socks.requests.at(-1), { kind: 'socks5', host: '127.0.0.1', port: broker.wsPort })
  })

  test('mqtt_proxy from the environment, and no_proxy exempting the broker', async () => {
    const saved = { mqtt_proxy: process.env.mqtt_proxy, no_proxy: process.env.no_proxy }
    try {
      process.env.mqtt_proxy = http.url('http')
      delete process.env.no_proxy
      const before = http.requests.length
      await roundTrip(broker.url, { protocolVersion: 4 })
      assert.equal(http.requests.length, before + 1)
      process.env.no_proxy = `example.org,127.0.0.1:${broker.port}`
      await roundTrip(broker.url, { protocolVersion: 4 })
      assert.equal(http.requests.length, before + 1)
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })

  test('failures: proxy down (ERR_CONNECT), target refused by the proxy (ERR_PROXY)', async () => {
    const dead = await new TestServer(createNetServer(), { echo: false }).listen(0, '127.0.0.1')
    const deadPort = dead.port
    await dead.close()
    const viaDeadProxy = proxyConnector({
      proxy: { protocol: 'socks5', host: '127.0.0.1', port: deadPort },
      host: '127.0.0.1',
      port: broker.port,
    })
    await assert.rejects(viaDeadProxy(recorder()), isCode('ERR_CONNECT'))
    for (const proxy of [socks, http]) {
      const toDeadTarget = proxyConnector({
        proxy: parseProxyUrl(proxy.url(proxy === http ? 'http' : 'socks5')),
        host: '127.0.0.1',
        port: deadPort,
      })
      await assert.rejects(toDeadTarget(recorder()), isCode('ERR_PROXY'))
    }
  })

  test('an abort during a proxy handshake that never ends', async () => {
    const silent = await new TestServer(createNetServer(), { echo: false }).listen(0, '127.0.0.1')
    const controller = new AbortController()
    const pending = proxyConnector({
      proxy: { protocol: 'http', host: '127.0.0.1', port: silent.port },
      host: '127.0.0.1',
      port: broker.port,
    })(recorder(), controller.signal)
    await silent.nextSocket()
    controller.abort()
    await assert.rejects(pending, isCode('ERR_ABORTED'))
    await silent.close()
  })
})

describe('TLS through proxies', () => {
  test('TLS over HTTP CONNECT and SOCKS5 tunnels; the certificate is checked against the broker name', async () => {
    const certs = await testCertificates()
    const server = await new TestServer(createTlsServer({ cert: certs.serverCert.pem, key: certs.serverKey.pem }), {
      echo: true,
      tls: true,
    }).listen(0, '127.0.0.1')
    const http = await startHttpProxy()
    const socks = await startSocksProxy()
    for (const proxy of [parseProxyUrl(http.url('http')), parseProxyUrl(socks.url('socks5'))]) {
      const rec = recorder()
      const transport = await proxyConnector({
        proxy,
        host: 'localhost',
        port: server.port,
        tls: { ca: certs.ca.pem },
      })(rec)
      transport.write(new Uint8Array([0xc0, 0x00]))
      assert.deepEqual([...(await rec.received(2))], [0xc0, 0x00])
      transport.end()
      assert.equal(await rec.closed, undefined)
      await assert.rejects(
        proxyConnector({ proxy, host: 'localhost', port: server.port, tls: { ca: certs.otherCa.pem } })(recorder()),
        isCode('ERR_TLS'),
      )
    }
    assert.deepEqual(
      [...http.requests, ...socks.requests].map((r) => r.host),
      ['localhost', 'localhost', 'localhost', 'localhost'],
    )
    await Promise.all([http.close(), socks.close()])
    await server.close()
  })
})
