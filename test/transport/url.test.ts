import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { TransportError } from '../../src/transport/errors.js'
import { type BrokerAddress, parseBrokerUrl } from '../../src/transport/url.js'

const vectors: Array<[string, BrokerAddress]> = [
  ['mqtt://broker.example', { kind: 'tcp', tls: false, host: 'broker.example', port: 1883 }],
  ['mqtt://localhost:1884', { kind: 'tcp', tls: false, host: 'localhost', port: 1884 }],
  ['MQTT://Localhost:1884/', { kind: 'tcp', tls: false, host: 'localhost', port: 1884 }],
  ['tcp://10.0.0.1', { kind: 'tcp', tls: false, host: '10.0.0.1', port: 1883 }],
  ['mqtts://broker.example', { kind: 'tcp', tls: true, host: 'broker.example', port: 8883 }],
  ['ssl://broker.example:9883', { kind: 'tcp', tls: true, host: 'broker.example', port: 9883 }],
  ['tls://broker.example', { kind: 'tcp', tls: true, host: 'broker.example', port: 8883 }],
  ['mqtt://[::1]:1883', { kind: 'tcp', tls: false, host: '::1', port: 1883 }],
  ['mqtts://[fe80::1]', { kind: 'tcp', tls: true, host: 'fe80::1', port: 8883 }],
  [
    'mqtt://alice:s%3Acret%40x@broker.example',
    { kind: 'tcp', tls: false, host: 'broker.example', port: 1883, username: 'alice', password: 's:cret@x' },
  ],
  ['mqtt://bob@broker.example', { kind: 'tcp', tls: false, host: 'broker.example', port: 1883, username: 'bob' }],
  [
    'ws://broker.example',
    { kind: 'ws', tls: false, host: 'broker.example', port: 80, path: '/mqtt', url: 'ws://broker.example:80/mqtt' },
  ],
  [
    'ws://broker.example:8080/',
    { kind: 'ws', tls: false, host: 'broker.example', port: 8080, path: '/', url: 'ws://broker.example:8080/' },
  ],
  [
    'wss://u:p@broker.example/custom/path?token=a%20b',
    {
      kind: 'ws',
      tls: true,
      host: 'broker.example',
      port: 443,
      path: '/custom/path?token=a%20b',
      url: 'wss://broker.example:443/custom/path?token=a%20b',
      username: 'u',
      password: 'p',
    },
  ],
  [
    'ws://[::1]:9001?x=1',
    { kind: 'ws', tls: false, host: '::1', port: 9001, path: '/mqtt?x=1', url: 'ws://[::1]:9001/mqtt?x=1' },
  ],
  ['unix:///run/mosquitto/mqtt.sock', { kind: 'unix', path: '/run/mosquitto/mqtt.sock' }],
  ['mqtt+unix:///tmp/a%20b.sock', { kind: 'unix', path: '/tmp/a b.sock' }],
]

const invalid = [
  'not a url',
  'localhost:1883',
  'http://broker.example',
  'mqtt://',
  'mqtt://host:70000',
  'mqtt://host:0',
  'unix://relative/path.sock',
  'unix:///',
  'mqtt://%E0%A4%A@host',
]

describe('parseBrokerUrl', () => {
  for (const [text, expected] of vectors) {
    test(`parses ${text}`, () => {
      assert.deepEqual(parseBrokerUrl(text), expected)
    })
  }

  for (const text of invalid) {
    test(`rejects ${JSON.stringify(text)} with ERR_INVALID_URL`, () => {
      assert.throws(
        () => parseBrokerUrl(text),
        (error: unknown) => error instanceof TransportError && error.code === 'ERR_INVALID_URL',
      )
    })
  }
})
