// Checks on the packet objects given to encode(): a field of the wrong JS type is ERR_INVALID_PACKET, a value
// the protocol forbids gets the code the decoder would use for the same bytes.
import { MalformedPacketError } from './errors.js'
import type { QoS } from './types.js'

export function invalidPacket(message: string): MalformedPacketError {
  return new MalformedPacketError('ERR_INVALID_PACKET', message)
}

function isInteger(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max
}

export function checkU16(value: unknown, field: string): number {
  if (!isInteger(value, 0xffff)) throw invalidPacket(`${field} must be an integer from 0 to 65535`)
  return value
}

export function checkU32(value: unknown, field: string): number {
  if (!isInteger(value, 0xffffffff)) throw invalidPacket(`${field} must be an integer from 0 to 4294967295`)
  return value
}

export function checkU8(value: unknown, field: string): number {
  if (!isInteger(value, 0xff)) throw invalidPacket(`${field} must be an integer from 0 to 255`)
  return value
}

/** A non-zero 16-bit packet identifier [MQTT-2.3.1-1]. */
export function checkPacketId(value: unknown): number {
  if (value === undefined || value === 0) throw new MalformedPacketError('ERR_PACKET_ID', 'packet id is missing or 0')
  if (typeof value !== 'number') throw invalidPacket('packetId must be a number')
  if (!isInteger(value, 0xffff)) throw new MalformedPacketError('ERR_PACKET_ID', `packet id ${value} is out of range`)
  return value
}

export function checkQoS(value: unknown): QoS {
  if (value === 0 || value === 1 || value === 2) return value
  if (typeof value !== 'number') throw invalidPacket('qos must be 0, 1 or 2')
  throw new MalformedPacketError('ERR_QOS', `QoS ${value} is not 0, 1 or 2`) // [MQTT-3.3.1-4]
}

export function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalidPacket(`${field} must be a boolean`)
  return value
}

/** Bytes that go out as Binary Data (a two-byte length), so at most 65,535 of them. */
export function checkBinary(value: unknown, field: string): Uint8Array {
  const bytes = checkBytes(value, field)
  if (bytes.length > 0xffff) throw invalidPacket(`${field} is longer than 65,535 bytes`)
  return bytes
}

export function checkBytes(value: unknown, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidPacket(`${field} must be a Uint8Array`)
  return value
}

export function checkArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalidPacket(`${field} must be an array`)
  return value
}
