// UTF-8 Encoded Strings (MQTT 5.0 section 1.5.4, 3.1.1 section 1.5.3): well formed, no U+0000, no surrogate
// code points, at most 65,535 bytes, on the wire behind a two-byte length.
import { MalformedPacketError } from './errors.js'

export const MAX_STRING_BYTES = 0xffff

// fatal: ill-formed input (overlongs, encoded surrogates U+D800..U+DFFF) throws [MQTT-1.5.4-1].
// ignoreBOM: a leading EF BB BF stays in the string [MQTT-1.5.4-3].
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const textEncoder = new TextEncoder()

// Short ASCII strings (topics, names) are built directly: cheaper than a TextDecoder call.
const ASCII_FAST_PATH_LIMIT = 256

function utf8Error(message: string): MalformedPacketError {
  return new MalformedPacketError('ERR_UTF8', message)
}

/**
 * The UTF-8 length of `str` in bytes. Throws ERR_INVALID_PACKET for a non-string and ERR_UTF8 for U+0000
 * [MQTT-1.5.4-2], a lone surrogate [MQTT-1.5.4-1] or more than 65,535 bytes.
 */
export function utf8Length(str: string): number {
  if (typeof str !== 'string')
    throw new MalformedPacketError('ERR_INVALID_PACKET', `expected a string, got ${typeof str}`)
  const n = str.length
  let bytes = n
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i)
    if (c < 0x80) {
      if (c === 0) throw utf8Error('string contains U+0000')
    } else if (c < 0x800) {
      bytes += 1
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = str.charCodeAt(i + 1)
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) throw utf8Error('string contains a lone surrogate')
      i++
      bytes += 2 // two UTF-16 units, four bytes
    } else {
      bytes += 2
    }
  }
  if (bytes > MAX_STRING_BYTES) throw utf8Error(`string of ${bytes} bytes exceeds 65,535`)
  return bytes
}

/** Writes `str` (already checked by utf8Length) with its length prefix at `pos`; returns the end position. */
export function writeUtf8(buf: Uint8Array, pos: number, str: string): number {
  const start = pos + 2
  const n = str.length
  let i = 0
  for (; i < n; i++) {
    const c = str.charCodeAt(i)
    if (c >= 0x80) break
    buf[start + i] = c
  }
  const length = i === n ? n : textEncoder.encodeInto(str, buf.subarray(start)).written
  buf[pos] = length >>> 8
  buf[pos + 1] = length & 0xff
  return start + length
}

/** Decodes bytes [start, end) of `buf`; throws ERR_UTF8 for ill-formed UTF-8 or U+0000. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  let ascii = true
  for (let i = start; i < end; i++) {
    const b = buf[i]!
    if (b === 0) throw utf8Error('string contains U+0000') // a 0 byte only ever encodes U+0000
    if (b >= 0x80) ascii = false
  }
  if (ascii && end - start <= ASCII_FAST_PATH_LIMIT) {
    return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[])
  }
  try {
    return textDecoder.decode(buf.subarray(start, end))
  } catch (cause) {
    throw new MalformedPacketError('ERR_UTF8', 'string is not well-formed UTF-8', { cause })
  }
}
