// How petrel sub prints a message, byte for byte as mosquitto_sub: the payload, "topic payload" with -v, or a
// -F format string (% message fields with printf-like flags, width and maximum width; @ strftime sequences;
// \ escapes). A format is checked once, before connecting: a bad sequence is a usage error.
import type { Message } from '../client/types.js'
import { UsageError } from './args.js'
import { isoLocal, isoLocalMicros, isTimeSequence, timeSequence, unixNanos } from './format-time.js'

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'field'; spec: string; left: boolean; zero: boolean; width: number; max: number | undefined }
  | { kind: 'time'; spec: string }

export type Format = readonly Token[]

const FIELDS = 'ACDEFIjJlmPpqRrStUxX%'
// Which fields take a field width, zero padding and a maximum width (mosquitto_sub(1), OUTPUT FORMAT).
const WIDTH = 'ACEFIlmpRStxX'
const ZERO = 'AEFlmSXx'
const MAX = 'CIRt'
const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '0': '\0',
  a: '\x07',
  e: '\x1b',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
}

/** Parses a -F format string; throws UsageError for a sequence mosquitto_sub would refuse. */
export function parseFormat(format: string): Format {
  const tokens: Token[] = []
  let text = ''
  const flush = () => {
    if (text !== '') tokens.push({ kind: 'text', text })
    text = ''
  }
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!
    if (c !== '%' && c !== '@' && c !== '\\') {
      text += c
      continue
    }
    if (i + 1 >= format.length) throw new UsageError('Incomplete format specifier.')
    if (c === '\\') {
      const escaped = ESCAPES[format[++i]!]
      if (escaped === undefined) throw new UsageError(`Invalid escape specifier '${format[i]}'.`)
      text += escaped
    } else if (c === '@') {
      const spec = format[++i]!
      if (!isTimeSequence(spec)) throw new UsageError(`Invalid time specifier '@${spec}'.`)
      flush()
      tokens.push({ kind: 'time', spec })
    } else {
      const match = /^([-0]*)(\d*)(?:\.(\d+))?(.?)/.exec(format.slice(i + 1))!
      const spec = match[4]!
      if (spec === '') throw new UsageError('Incomplete format specifier.')
      if (!FIELDS.includes(spec)) throw new UsageError(`Invalid format specifier '${spec}'.`)
      i += match[0].length
      flush()
      const flags = match[1]!
      const width = WIDTH.includes(spec) ? Number(match[2] || 0) : 0
      const left = flags.includes('-')
      const max = MAX.includes(spec) && match[3] !== undefined ? Number(match[3]) : undefined
      tokens.push({ kind: 'field', spec, left, zero: !left && flags.includes('0') && ZERO.includes(spec), width, max })
    }
  }
  flush()
  return tokens
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function userProperties(message: Message): Array<[string, string]> {
  return message.properties?.userProperties ?? []
}

function subscriptionIds(message: Message): number[] {
  const ids = message.properties?.subscriptionIdentifier
  return ids === undefined ? [] : Array.isArray(ids) ? ids : [ids]
}

/** %j / %J: the message as JSON; `rawPayload` (%J) puts the payload in unquoted, so it must be JSON itself. */
function json(message: Message, epochMs: number, rawPayload: boolean): string {
  const p = message.properties
  const properties: Record<string, unknown> = {}
  if (p?.contentType !== undefined) properties['content-type'] = p.contentType
  if (userProperties(message).length > 0) properties['user-properties'] = Object.fromEntries(userProperties(message))
  if (p?.responseTopic !== undefined) properties['response-topic'] = p.responseTopic
  if (p?.correlationData !== undefined) properties['correlation-data'] = decoder.decode(p.correlationData)
  if (p?.payloadFormatIndicator !== undefined) properties['payload-format-indicator'] = p.payloadFormatIndicator ? 1 : 0
  if (p?.messageExpiryInterval !== undefined) properties['message-expiry-interval'] = p.messageExpiryInterval
  if (subscriptionIds(message).length > 0) properties['subscription-identifier'] = subscriptionIds(message)[0]
  const head = JSON.stringify({
    tst: isoLocalMicros(epochMs),
    topic: message.topic,
    qos: message.qos,
    retain: message.retain ? 1 : 0,
    payloadlen: message.payload.length,
    ...(message.qos > 0 && message.packetId !== undefined ? { mid: message.packetId } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  })
  const payload = rawPayload ? decoder.decode(message.payload) : JSON.stringify(decoder.decode(message.payload))
  return `${head.slice(0, -1)},"payload":${payload}}`
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** A field's value; undefined when the message has none (an MQTT 5 property it does not carry). */
function fieldValue(spec: string, message: Message, epochMs: number, warn: (text: string) => void) {
  const p = message.properties
  const text = (value: unknown) => (value === undefined ? undefined : String(value))
  switch (spec) {
    case 'A':
      return text(p?.topicAlias)
    case 'C':
      return p?.contentType
    case 'D':
      return p?.correlationData
    case 'E':
      return text(p?.messageExpiryInterval)
    case 'F':
      return p?.payloadFormatIndicator === undefined ? undefined : p.payloadFormatIndicator ? '1' : '0'
    case 'I':
      return isoLocal(epochMs)
    case 'j':
      return json(message, epochMs, false)
    case 'J':
      try {
        JSON.parse(decoder.decode(message.payload))
      } catch {
        warn(`Error: Message payload is not valid JSON on topic ${message.topic}.`)
        return undefined
      }
      return json(message, epochMs, true)
    case 'l':
      return String(message.payload.length)
    case 'm':
      return String(message.packetId ?? 0)
    case 'P': {
      const pairs = userProperties(message).map(([key, value]) => `${key}:${value}`)
      return pairs.length === 0 ? undefined : pairs.join(' ')
    }
    case 'p':
      return message.payload
    case 'q':
      return String(message.qos)
    case 'R':
      return p?.responseTopic
    case 'r':
      return message.retain ? '1' : '0'
    case 'S':
      return subscriptionIds(message).length === 0 ? undefined : subscriptionIds(message).join(' ')
    case 't':
      return message.topic
    case 'U':
      return unixNanos(epochMs)
    case 'x':
      return hex(message.payload)
    case 'X':
      return hex(message.payload).toUpperCase()
    default:
      return '%'
  }
}

/** Width counts bytes, as printf's does in mosquitto_sub. */
function padded(value: Uint8Array, token: Extract<Token, { kind: 'field' }>): Uint8Array {
  const bytes = token.max !== undefined && value.length > token.max ? value.subarray(0, token.max) : value
  const fill = token.width - bytes.length
  if (fill <= 0) return bytes
  const padding = encoder.encode((token.zero ? '0' : ' ').repeat(fill))
  return token.left ? Buffer.concat([bytes, padding]) : Buffer.concat([padding, bytes])
}

/** The bytes `format` makes of `message`; `warn` gets errors that skip one field (%J of a non-JSON payload). */
export function formatMessage(
  format: Format,
  message: Message,
  epochMs: number = performance.timeOrigin + performance.now(),
  warn: (text: string) => void = (text) => console.error(text),
): Buffer {
  const parts: Uint8Array[] = []
  for (const token of format) {
    if (token.kind === 'text') parts.push(encoder.encode(token.text))
    else if (token.kind === 'time') parts.push(encoder.encode(timeSequence(token.spec, epochMs)))
    else {
      const value = fieldValue(token.spec, message, epochMs, warn)
      if (value !== undefined) parts.push(padded(typeof value === 'string' ? encoder.encode(value) : value, token))
    }
  }
  return Buffer.concat(parts)
}

/**
 * The default output with its newline: the payload's bytes, or "topic payload" with -v. An empty payload
 * prints nothing, or "topic (null)" with -v (not with -N), as mosquitto_sub does.
 */
export function plainMessage(message: Message, verbose: boolean, newline: boolean): Buffer {
  const end = newline ? '\n' : ''
  if (message.payload.length === 0) return Buffer.from(verbose && newline ? `${message.topic} (null)\n` : '')
  const head = verbose ? `${message.topic} ` : ''
  return Buffer.concat([encoder.encode(head), message.payload, encoder.encode(end)])
}
