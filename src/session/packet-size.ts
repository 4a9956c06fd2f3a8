// Keeping outgoing packets within the server's Maximum Packet Size [MQTT-3.2.2-15]. Where the spec allows
// it, the Reason String and then the User Properties are dropped first ([MQTT-3.4.2-2] [MQTT-3.4.2-3] for
// PUBACK, likewise PUBREC/PUBREL/PUBCOMP/DISCONNECT/AUTH); a PUBLISH, SUBSCRIBE or UNSUBSCRIBE keeps the
// application's properties and fails instead.

import { encode } from '../packet/encode.js'
import { MalformedPacketError, MqttError, PacketTooLargeError } from '../packet/errors.js'
import type { Packet, ProtocolVersion } from '../packet/types.js'

const TRIMMABLE = new Set<Packet['type']>(['puback', 'pubrec', 'pubrel', 'pubcomp', 'disconnect', 'auth'])

/**
 * The bytes of `packet`, trimmed if allowed; a PacketTooLargeError when it cannot fit `limit`, or the
 * codec's error for a field it cannot encode (returned, not thrown: this runs inside receive() too).
 */
export function encodeWithin(packet: Packet, version: ProtocolVersion, limit: number): Uint8Array | MqttError {
  try {
    return encodeTrimmed(packet, version, limit)
  } catch (error) {
    if (error instanceof MqttError) return error
    return new MalformedPacketError('ERR_INVALID_PACKET', String(error), { cause: error })
  }
}

function encodeTrimmed(packet: Packet, version: ProtocolVersion, limit: number): Uint8Array | PacketTooLargeError {
  let bytes = encode(packet, version)
  if (bytes.length <= limit) return bytes
  if (TRIMMABLE.has(packet.type) && 'properties' in packet && packet.properties) {
    const { reasonString: _reason, ...withoutReason } = packet.properties
    bytes = encode({ ...packet, properties: withoutReason } as Packet, version)
    if (bytes.length <= limit) return bytes
    const { userProperties: _user, ...withoutUser } = withoutReason
    bytes = encode({ ...packet, properties: withoutUser } as Packet, version)
    if (bytes.length <= limit) return bytes
  }
  return new PacketTooLargeError(bytes.length, limit)
}
