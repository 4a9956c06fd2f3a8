// Byte writers for encode(): every packet is measured first, then written once into one Uint8Array.
import { PacketTooLargeError } from './errors.js'

/** Largest Remaining Length a four-byte Variable Byte Integer holds. */
export const MAX_REMAINING_LENGTH = 268_435_455
/** Largest packet the protocol can express: fixed header byte + 4 length bytes + the body. */
export const PROTOCOL_MAX_PACKET_SIZE = 268_435_460

export function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4
}

export function writeVarint(buf: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80
    n >>>= 7
  }
  buf[pos++] = n
  return pos
}

export function writeU16(buf: Uint8Array, pos: number, n: number): number {
  buf[pos] = n >>> 8
  buf[pos + 1] = n & 0xff
  return pos + 2
}

export function writeU32(buf: Uint8Array, pos: number, n: number): number {
  buf[pos] = n >>> 24
  buf[pos + 1] = (n >>> 16) & 0xff
  buf[pos + 2] = (n >>> 8) & 0xff
  buf[pos + 3] = n & 0xff
  return pos + 4
}

/** Binary Data: a two-byte length, then the bytes. */
export function writeBinary(buf: Uint8Array, pos: number, bytes: Uint8Array): number {
  pos = writeU16(buf, pos, bytes.length)
  buf.set(bytes, pos)
  return pos + bytes.length
}

/**
 * Allocates the whole packet and writes its fixed header; the body starts at `buf.length - remaining`.
 * Throws PacketTooLargeError before allocating when the packet cannot be sent.
 */
export function allocatePacket(firstByte: number, remaining: number, maximumPacketSize: number): Uint8Array {
  if (remaining > MAX_REMAINING_LENGTH) throw new PacketTooLargeError(5 + remaining, PROTOCOL_MAX_PACKET_SIZE)
  const total = 1 + varintSize(remaining) + remaining
  if (total > maximumPacketSize) throw new PacketTooLargeError(total, maximumPacketSize)
  const buf = allocate(total)
  buf[0] = firstByte
  writeVarint(buf, 1, remaining)
  return buf
}

// Small packets are carved out of a shared ArrayBuffer, as Node's Buffer pool does: an ArrayBuffer per packet
// costs more than encoding the packet. Views handed out never overlap and are never written again. A pool
// whose buffer was transferred away (detached, byteLength 0) is simply replaced.
const POOL_SIZE = 64 * 1024
const POOLED_MAX = 4 * 1024
let pool = new ArrayBuffer(POOL_SIZE)
let poolOffset = 0

function allocate(size: number): Uint8Array {
  if (size > POOLED_MAX) return new Uint8Array(size)
  if (poolOffset + size > pool.byteLength) {
    pool = new ArrayBuffer(POOL_SIZE)
    poolOffset = 0
  }
  const view = new Uint8Array(pool, poolOffset, size)
  poolOffset += (size + 7) & ~7 // keep views 8-byte aligned
  return view
}
