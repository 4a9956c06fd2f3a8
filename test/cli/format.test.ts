// petrel sub's output, byte for byte as mosquitto_sub 2.0 prints it: -v, -F specifiers with flags, width and
// maximum width, MQTT 5 properties, %j / %J, @ time sequences, \ escapes, and the format errors.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { UsageError } from '../../src/cli/args.js'
import { formatMessage, parseFormat, plainMessage } from '../../src/cli/format.js'
import type { Message } from '../../src/index.js'

process.env.TZ = 'UTC'

const message = (topic: string, payload: string | Uint8Array, extra: Partial<Message> = {}): Message =>
  ({
    topic,
    payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
    qos: 1,
    retain: true,
    dup: false,
    packetId: 7,
    ...extra,
  }) as Message

// 2024-01-02T03:04:05.006007Z
const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 6) + 0.007
const format = (text: string, m: Message, warn?: (text: string) => void) =>
  formatMessage(parseFormat(text), m, NOW, warn).toString('latin1')

describe('sub output', () => {
  test('plain and -v write the payload bytes as received, then a newline unless -N', () => {
    const binary = message('a/b', new Uint8Array([0xff, 0x00]))
    assert.deepEqual(plainMessage(binary, false, true), Buffer.from([0xff, 0x00, 0x0a]))
    assert.equal(plainMessage(message('a/b', 'hi'), true, true).toString(), 'a/b hi\n')
    assert.equal(plainMessage(message('a/b', 'hi'), true, false).toString(), 'a/b hi')
  })

  test('an empty payload prints nothing, or "topic (null)" with -v (without -N)', () => {
    const empty = message('a/b', '')
    assert.equal(plainMessage(empty, false, true).toString(), '')
    assert.equal(plainMessage(empty, true, true).toString(), 'a/b (null)\n')
    assert.equal(plainMessage(empty, true, false).toString(), '')
  })

  test('message fields, raw payload bytes, hex, escapes', () => {
    const m = message('a', new Uint8Array([0x01, 0xff]))
    assert.equal(format('%t %p %q %r %l %m %x %X %%\\t\\n\\\\', m), 'a \x01\xff 1 1 2 7 01ff 01FF %\t\n\\')
    assert.equal(format('\\0\\a\\e\\r\\v', m), '\0\x07\x1b\r\v')
    assert.equal(format('%m', message('a', '', { qos: 0, packetId: undefined })), '0')
  })

  test('flags, field width and maximum width where mosquitto_sub applies them', () => {
    const m = message('fmt/a', 'héllo wörld')
    // Width counts bytes; %p takes no maximum; %q and %r take no width.
    assert.equal(
      format('%10p|%-10t|%05l|%.3p', m),
      'h\xc3\xa9llo w\xc3\xb6rld|fmt/a     |00013|h\xc3\xa9llo w\xc3\xb6rld',
    )
    assert.equal(format('%5.2t|%-8.3I|%-08l|%3q|%5r', m), '   fm|202     |13      |1|1')
    assert.equal(format('%08x|%06t', message('t', 'A')), '00000041|     t')
  })

  test('times: %I, %U, @ strftime sequences (local time, here UTC)', () => {
    const m = message('a', '')
    assert.equal(format('%I', m), '2024-01-02T03:04:05+0000')
    assert.equal(format('%U', m), '1704164645.006007000')
    assert.equal(
      format('@Y-@m-@d @H:@M:@S @N @@ @s @z @j @a @b', m),
      '2024-01-02 03:04:05 006007000 @ 1704164645 +0000 002 Tue Jan',
    )
  })

  test('MQTT 5 properties: %A %C %D %E %F %P %R %S, empty when absent', () => {
    const properties = {
      topicAlias: 3,
      contentType: 'text/x',
      correlationData: new TextEncoder().encode('cd'),
      messageExpiryInterval: 96,
      payloadFormatIndicator: true,
      userProperties: [
        ['k', 'v'],
        ['k2', 'v2'],
      ] as Array<[string, string]>,
      responseTopic: 'rt',
      subscriptionIdentifier: 7,
    }
    assert.equal(format('%A|%C|%D|%E|%F|%P|%R|%S', message('a', '', { properties })), '3|text/x|cd|96|1|k:v k2:v2|rt|7')
    assert.equal(format('%S|%05E|%-5F|', message('a', '', { properties })), '7|00096|1    |')
    assert.equal(format('%A|%C|%D|%E|%F|%P|%R|%S', message('a', '')), '|||||||')
  })

  test('%j: JSON with the payload as a string, mid for QoS > 0, MQTT 5 properties', () => {
    const plain = JSON.parse(format('%j', message('a', 'p', { qos: 0, packetId: undefined })))
    assert.deepEqual(plain, {
      tst: '2024-01-02T03:04:05.006007+0000',
      topic: 'a',
      qos: 0,
      retain: 1,
      payloadlen: 1,
      payload: 'p',
    })
    const properties = { contentType: 'text/x', userProperties: [['k', 'v']] as Array<[string, string]> }
    const rich = JSON.parse(format('%j', message('a', '{"x":1}', { properties })))
    assert.equal(rich.mid, 7)
    assert.deepEqual(rich.properties, { 'content-type': 'text/x', 'user-properties': { k: 'v' } })
    assert.equal(rich.payload, '{"x":1}')
  })

  test('%J puts a JSON payload in as JSON; a payload that is not JSON is reported and left out', () => {
    assert.deepEqual(JSON.parse(format('%J', message('a', '{"x":1}'))).payload, { x: 1 })
    const warnings: string[] = []
    assert.equal(
      format('[%J]', message('b/c', 'not json'), (text) => warnings.push(text)),
      '[]',
    )
    assert.deepEqual(warnings, ['Error: Message payload is not valid JSON on topic b/c.'])
  })

  test('sequences mosquitto_sub refuses are usage errors', () => {
    for (const bad of ['%i', '%e', '%t%', '\\q', '%-', '@', '@Q', 'x\\']) {
      assert.throws(
        () => parseFormat(bad),
        (error: UsageError) => error.code === 'ERR_USAGE',
        bad,
      )
    }
  })
})
