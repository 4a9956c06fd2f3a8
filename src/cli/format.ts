// How petrel sub prints a message: the payload, "topic payload" with -v, or a -F format string with
// mosquitto_sub's % specifiers and \ escapes.
import type { Message } from '../client/types.js'

const decoder = new TextDecoder()

function hex(bytes: Uint8Array, upper: boolean): string {
  const text = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return upper ? text.toUpperCase() : text
}

function json(message: Message): string {
  return JSON.stringify({
    tst: new Date().toISOString(),
    topic: message.topic,
    qos: message.qos,
    retain: message.retain ? 1 : 0,
    payloadlen: message.payload.length,
    ...(message.packetId === undefined ? {} : { mid: message.packetId }),
    payload: decoder.decode(message.payload),
  })
}

/**
 * Formats with mosquitto_sub's -F specifiers: %t topic, %p payload, %q qos, %r retain (0/1), %l payload length,
 * %m packet id, %x / %X payload in hex, %I ISO 8601 time, %U Unix time with nanoseconds, %j JSON, %% a percent
 * sign; escapes \n \t \\ \e (ESC).
 */
export function formatMessage(format: string, message: Message, now: Date = new Date()): string {
  let out = ''
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!
    const next = format[i + 1]
    if (c === '%' && next !== undefined) {
      i++
      switch (next) {
        case 't':
          out += message.topic
          break
        case 'p':
          out += decoder.decode(message.payload)
          break
        case 'q':
          out += String(message.qos)
          break
        case 'r':
          out += message.retain ? '1' : '0'
          break
        case 'l':
          out += String(message.payload.length)
          break
        case 'm':
          out += String(message.packetId ?? 0)
          break
        case 'x':
          out += hex(message.payload, false)
          break
        case 'X':
          out += hex(message.payload, true)
          break
        case 'I':
          out += now.toISOString()
          break
        case 'U':
          out += `${Math.floor(now.getTime() / 1000)}.${String((now.getTime() % 1000) * 1_000_000).padStart(9, '0')}`
          break
        case 'j':
          out += json(message)
          break
        case '%':
          out += '%'
          break
        default:
          out += `%${next}`
      }
    } else if (c === '\\' && next !== undefined) {
      i++
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'e' ? '\x1b' : next === '\\' ? '\\' : `\\${next}`
    } else out += c
  }
  return out
}

/** The default output: the payload, or "topic payload" with -v. */
export function plainLine(message: Message, verbose: boolean): string {
  const payload = decoder.decode(message.payload)
  return verbose ? `${message.topic} ${payload}` : payload
}
