// Encoders for CONNECT and CONNACK (MQTT 5.0 sections 3.1, 3.2; 3.1.1 sections 3.1, 3.2).
import { MalformedPacketError } from './errors.js'
import { checkBinary, checkBoolean, checkQoS, checkU8, checkU16, invalidPacket } from './fields.js'
import { WILL } from './properties.js'
import { measureProperties, writeProperties } from './property-codec.js'
import { checkReasonCode } from './reason-code-rules.js'
import { validateTopicName } from './topic.js'
import type { ConnackPacket, ConnectPacket, ProtocolVersion } from './types.js'
import { utf8Length, writeUtf8 } from './utf8.js'
import { allocatePacket, varintSize, writeBinary, writeU16 } from './writer.js'

/** Protocol name per level: 'MQIsdp' for 3.1, 'MQTT' for 3.1.1 and 5.0. */
function protocolNameOf(version: ProtocolVersion): string {
  return version === 3 ? 'MQIsdp' : 'MQTT'
}

export function encodeConnect(p: ConnectPacket, v: ProtocolVersion, max: number): Uint8Array {
  if (p.protocolVersion !== v) {
    throw invalidPacket(`CONNECT says protocol version ${p.protocolVersion} but is encoded as ${v}`)
  }
  const name = protocolNameOf(v)
  const bridge = p.bridge !== undefined && checkBoolean(p.bridge, 'bridge')
  if (bridge && v === 5)
    throw invalidPacket('the bridge bit is for MQTT 3.1 / 3.1.1 (MQTT 5: No Local, Retain As Published)')
  let flags = checkBoolean(p.clean, 'clean') ? 0x02 : 0
  const keepalive = checkU16(p.keepalive, 'keepalive')
  // protocol name, level, flags, keepalive, client id [MQTT-3.1.3-3]
  let remaining = 2 + name.length + 4 + 2 + utf8Length(p.clientId)
  const propertiesSize = v === 5 ? measureProperties(p.properties, 1) : 0
  if (v === 5) remaining += varintSize(propertiesSize) + propertiesSize
  const will = p.will
  let willPropertiesSize = 0
  if (will !== undefined) {
    const qos = checkQoS(will.qos)
    flags |= 0x04 | (qos << 3) | (checkBoolean(will.retain, 'will.retain') ? 0x20 : 0)
    remaining += 2 + utf8Length(will.topic) + 2 + checkBinary(will.payload, 'will.payload').length
    validateTopicName(will.topic)
    if (v === 5) {
      willPropertiesSize = measureProperties(will.properties, WILL)
      remaining += varintSize(willPropertiesSize) + willPropertiesSize
    }
  }
  if (p.username !== undefined) {
    flags |= 0x80
    remaining += 2 + utf8Length(p.username)
  }
  if (p.password !== undefined) {
    if (v < 5 && p.username === undefined) {
      throw new MalformedPacketError('ERR_CONNECT_FLAGS', 'a password needs a user name before MQTT 5') // [MQTT-3.1.2-22]
    }
    flags |= 0x40
    remaining += 2 + checkBinary(p.password, 'password').length
  }
  const buf = allocatePacket(0x10, remaining, max)
  let pos = writeUtf8(buf, buf.length - remaining, name)
  buf[pos++] = bridge ? v | 0x80 : v
  buf[pos++] = flags
  pos = writeU16(buf, pos, keepalive)
  if (v === 5) pos = writeProperties(buf, pos, p.properties, propertiesSize)
  pos = writeUtf8(buf, pos, p.clientId) // payload order: [MQTT-3.1.3-1]
  if (will !== undefined) {
    if (v === 5) pos = writeProperties(buf, pos, will.properties, willPropertiesSize)
    pos = writeBinary(buf, writeUtf8(buf, pos, will.topic), will.payload)
  }
  if (p.username !== undefined) pos = writeUtf8(buf, pos, p.username)
  if (p.password !== undefined) writeBinary(buf, pos, p.password)
  return buf
}

export function encodeConnack(p: ConnackPacket, v: ProtocolVersion, max: number): Uint8Array {
  const sessionPresent = checkBoolean(p.sessionPresent, 'sessionPresent')
  const reasonCode = checkU8(p.reasonCode, 'reasonCode')
  checkReasonCode('connack', reasonCode, v)
  const propertiesSize = v === 5 ? measureProperties(p.properties, 2) : 0
  const remaining = v === 5 ? 2 + varintSize(propertiesSize) + propertiesSize : 2
  const buf = allocatePacket(0x20, remaining, max)
  const pos = buf.length - remaining
  buf[pos] = sessionPresent ? 1 : 0
  buf[pos + 1] = reasonCode
  if (v === 5) writeProperties(buf, pos + 2, p.properties, propertiesSize)
  return buf
}
