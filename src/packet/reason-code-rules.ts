// Which reason / return codes a packet may carry: MQTT 5 per packet type (section 2.4), and the 3.1 / 3.1.1
// CONNACK return codes (0..5) and SUBACK return codes (granted QoS or 0x80).
import { MalformedPacketError } from './errors.js'
import { checkU8 } from './fields.js'
import { isValidReasonCode } from './reason-codes.js'
import type { PacketType, ProtocolVersion } from './types.js'

function isAllowedReasonCode(type: PacketType, code: number, version: ProtocolVersion): boolean {
  if (version === 5) return isValidReasonCode(type, code)
  if (type === 'connack') return code <= 5
  if (type === 'suback') return code <= 2 || code === 0x80
  return false
}

export function checkReasonCode(type: PacketType, code: number, version: ProtocolVersion): void {
  if (!isAllowedReasonCode(type, code, version)) {
    throw new MalformedPacketError('ERR_REASON_CODE', `reason code 0x${code.toString(16)} is not valid in ${type}`)
  }
}

/** The MQTT 5 reason code of an outgoing packet; an absent one is 0 (Success). */
export function outgoingReasonCode(type: PacketType, value: number | undefined): number {
  if (value === undefined) return 0
  const code = checkU8(value, 'reasonCode')
  checkReasonCode(type, code, 5)
  return code
}
