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

// Well-formed packets that break a protocol rule are Protocol Errors (reason code 0x82), not Malformed.
const DEFAULT_CLASS: Partial<Record<CodecErrorCode, ErrorClassName>> = {
  ERR_PACKET_TOO_LARGE: 'PacketTooLargeError',
  ERR_EMPTY_LIST: 'ProtocolError', // MQTT 5.0 3.8.3: "A SUBSCRIBE packet with no Payload is a Protocol Error"
  ERR_PROPERTY_DUPLICATE: 'ProtocolError', // 2.2.2.2: "It is a Protocol Error to include ... more than once"
  ERR_PROPERTY_VALUE: 'ProtocolError', // 3.1.2.11 and others: "It is a Protocol Error to include the value 0"
  ERR_PROTOCOL_VERSION: 'ProtocolError', // answered with CONNACK 0x84 / return code 1 [MQTT-3.1.2-2]
}

export function malformed(
  version: 4 | 5,
  name: string,
  bytes: Bytes,
  code: CodecErrorCode,
  extra: Partial<MalformedCase> = {},
): MalformedCase {
  const errorClass = DEFAULT_CLASS[code] ?? 'MalformedPacketError'
  return { name: `v${version} ${name}`, version, hex: toHex(bytes), code, errorClass, ...extra }
}
