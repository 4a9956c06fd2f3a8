// The shape of a malformed-corpus entry and the helper that builds one from bytes.
import type { CodecErrorCode } from '../../src/packet/errors.js'
import type { Bytes } from './malformed-bytes.js'

export type ErrorClassName = 'MalformedPacketError' | 'ProtocolError' | 'PacketTooLargeError'

export interface MalformedCase {
  name: string
  version: 4 | 5
  /** The frame as hex, fixed header included. */
  hex: string
  code: CodecErrorCode
  errorClass: ErrorClassName
  /** Decoder option, for the size-limit cases. */
  maximumPacketSize?: number
}

export const toHex = (bytes: Bytes): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')

export function malformed(
  version: 4 | 5,
  name: string,
  bytes: Bytes,
  code: CodecErrorCode,
  extra: Partial<MalformedCase> = {},
): MalformedCase {
  const errorClass: ErrorClassName = code === 'ERR_PACKET_TOO_LARGE' ? 'PacketTooLargeError' : 'MalformedPacketError'
  return { name: `v${version} ${name}`, version, hex: toHex(bytes), code, errorClass, ...extra }
}
