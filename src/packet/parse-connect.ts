// Body parsers for CONNECT and CONNACK (MQTT 5.0 sections 3.1, 3.2; 3.1.1 sections 3.1, 3.2).
import { MalformedPacketError, ProtocolError } from './errors.js'
import { WILL } from './properties.js'
import { readProperties } from './property-codec.js'
import type { Reader } from './reader.js'
import { checkReasonCode } from './reason-code-rules.js'
import { validateTopicName } from './topic.js'
import type { ConnackPacket, ConnectPacket, ProtocolVersion, QoS, Will } from './types.js'

function connectFlagsError(message: string): MalformedPacketError {
  return new MalformedPacketError('ERR_CONNECT_FLAGS', message)
}

/**
 * Reads the protocol name and level; the level decides how the rest of the packet reads. 0x83 / 0x84 are
 * 3.1 / 3.1.1 with the bridge bit (a Mosquitto / RSMB extension): the spec lets a server refuse a level it
 * does not support (3.1.1 [MQTT-3.1.2-2]), and Mosquitto accepts these, so the codec reads them too.
 */
function readProtocolLevel(r: Reader): { version: ProtocolVersion; bridge: boolean } {
  const name = r.utf8()
  const byte = r.u8()
  const bridge = (byte === 0x83 && name === 'MQIsdp') || (byte === 0x84 && name === 'MQTT')
  const level = bridge ? byte & 0x7f : byte
  if (name !== 'MQTT' && name !== 'MQIsdp') {
    throw new MalformedPacketError('ERR_PROTOCOL_NAME', `unknown protocol name ${JSON.stringify(name)}`)
  }
  if (level !== 3 && level !== 4 && level !== 5) {
    throw new ProtocolError('ERR_PROTOCOL_VERSION', `unsupported protocol level ${level}`, { reasonCode: 0x84 })
  }
  if ((name === 'MQIsdp') !== (level === 3)) {
    throw new MalformedPacketError('ERR_PROTOCOL_NAME', `protocol name ${name} does not go with level ${level}`)
  }
  return { version: level, bridge }
}

export function parseConnect(r: Reader): ConnectPacket {
  const { version: v, bridge } = readProtocolLevel(r)
  const flags = r.u8()
  if (flags & 0x01) throw connectFlagsError('reserved CONNECT flag set') // [MQTT-3.1.2-3]
  const hasWill = (flags & 0x04) !== 0
  const willQoS = (flags >> 3) & 0x03
  if (!hasWill && (flags & 0x38) !== 0) throw connectFlagsError('will QoS / retain without a will') // [MQTT-3.1.2-11]
  if (willQoS === 3) throw new MalformedPacketError('ERR_QOS', 'will QoS 3') // [MQTT-3.1.2-14]
  const hasUsername = (flags & 0x80) !== 0
  const hasPassword = (flags & 0x40) !== 0
  if (v < 5 && hasPassword && !hasUsername) throw connectFlagsError('password without user name') // [MQTT-3.1.2-22]
  const keepalive = r.u16()
  const properties = v === 5 ? readProperties(r, 1) : undefined
  const packet: ConnectPacket = {
    type: 'connect',
    protocolVersion: v,
    clientId: r.utf8(),
    clean: (flags & 0x02) !== 0,
    keepalive,
  }
  if (bridge) packet.bridge = true
  if (hasWill) {
    const willProperties = v === 5 ? readProperties(r, WILL) : undefined
    const topic = r.utf8()
    validateTopicName(topic)
    const will: Will = { topic, payload: r.binary(), qos: willQoS as QoS, retain: (flags & 0x20) !== 0 }
    if (willProperties !== undefined) will.properties = willProperties
    packet.will = will
  }
  if (hasUsername) packet.username = r.utf8()
  if (hasPassword) packet.password = r.binary()
  r.expectEnd()
  if (properties !== undefined) packet.properties = properties
  return packet
}

export function parseConnack(r: Reader, v: ProtocolVersion): ConnackPacket {
  const flags = r.u8()
  if (flags & 0xfe) throw new MalformedPacketError('ERR_CONNACK_FLAGS', `reserved CONNACK flags set: ${flags}`)
  const reasonCode = r.u8()
  const packet: ConnackPacket = { type: 'connack', sessionPresent: flags === 1, reasonCode }
  // A 3.1.1 server refuses an MQTT 5 CONNECT with a 3.1.1 CONNACK (return code 1..5, no properties)
  // [MQTT-3.1.2-2 of 3.1.1]; it is accepted as is so that the session can fall back to an older version.
  const legacyRefusal = v === 5 && r.remaining === 0 && reasonCode >= 1 && reasonCode <= 5
  if (!legacyRefusal) {
    checkReasonCode('connack', reasonCode, v)
    if (v === 5) {
      const properties = readProperties(r, 2)
      if (properties !== undefined) packet.properties = properties
    }
  }
  r.expectEnd()
  return packet
}
