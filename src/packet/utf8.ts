// UTF-8 Encoded Strings (MQTT 5.0 section 1.5.4, 3.1.1 section 1.5.3): well formed, no U+0000, no surrogate
// code points, at most 65,535 bytes, on the wire behind a two-byte length.
import { MalformedPacketError } from './errors.js'

export const MAX_STRING_BYTES = 0xffff

// fatal: ill-formed input (overlongs, encoded surrogates U+D800..U+DFFF) throws [MQTT-1.5.4-1].
// ignoreBOM: a leading EF BB BF stays in the string [MQTT-1.5.4-3].
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const textEncoder = new TextEncoder()

// Short ASCII strings (topics, property names) repeat packet after packet: the last one decoded in each slot
// of a small hash table is reused when the bytes match, and misses are built without a TextDecoder call.
const CACHED_MAX_LENGTH = 128
const CACHE_SLOTS = 512 // a power of two
const cache: (string | undefined)[] = new Array(CACHE_SLOTS).fill(undefined)

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
  const length = end - start
  let slot = -1
  if (length > 0 && length <= CACHED_MAX_LENGTH) {
    // A hash of a few sampled bytes finds the slot; the full comparison below decides.
    const quarter = length >> 2
    slot =
      (Math.imul(length, 0x9e3779b1) ^
        (buf[start]! << 3) ^
        (buf[start + quarter]! << 9) ^
        (buf[start + (length >> 1)]! << 1) ^
        (buf[end - 1 - quarter]! << 6) ^
        buf[end - 1]!) &
      (CACHE_SLOTS - 1)
    const cached = cache[slot]
    // A match with a cached string (ASCII, no U+0000) proves the bytes valid without another scan.
    if (cached !== undefined && cached.length === length && sameAscii(cached, buf, start)) return cached
  }
  let ascii = true
  for (let i = start; i < end; i++) {
    const b = buf[i]!
    if (b === 0) throw utf8Error('string contains U+0000') // a 0 byte only ever encodes U+0000
    if (b >= 0x80) ascii = false
  }
  if (!ascii || slot < 0) {
    try {
      return textDecoder.decode(buf.subarray(start, end))
    } catch (cause) {
      throw new MalformedPacketError('ERR_UTF8', 'string is not well-formed UTF-8', { cause })
    }
  }
  const str = asciiString(buf, start, end)
  cache[slot] = str
  return str
}

function sameAscii(str: string, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < str.length; i++) if (str.charCodeAt(i) !== buf[start + i]) return false
  return true
}

function asciiString(buf: Uint8Array, start: number, end: number): string {
  let str = ''
  let i = start
  for (; i + 4 <= end; i += 4) str += String.fromCharCode(buf[i]!, buf[i + 1]!, buf[i + 2]!, buf[i + 3]!)
  for (; i < end; i++) str += String.fromCharCode(buf[i]!)
  return str
}
