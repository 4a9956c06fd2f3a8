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
  const buf = new Uint8Array(total)
  buf[0] = firstByte
  writeVarint(buf, 1, remaining)
  return buf
}
