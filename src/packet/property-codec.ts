// Reading, measuring and writing MQTT 5 property lists. Allow-lists and value rules apply both ways.
import { MalformedPacketError, ProtocolError } from './errors.js'
import { checkArray, checkBinary, checkBoolean, checkU8, checkU16, checkU32, invalidPacket } from './fields.js'
import {
  checkPropertySet,
  checkPropertyValue,
  isPropertyAllowed,
  PROPERTY_BY_ID,
  PROPERTY_BY_NAME,
  type PropertyDefinition,
  SUBSCRIPTION_IDENTIFIER_MAX,
} from './properties.js'
import type { Reader } from './reader.js'
import type { Properties, UserProperty } from './types.js'
import { utf8Length, writeUtf8 } from './utf8.js'
import { varintSize, writeBinary, writeU16, writeU32, writeVarint } from './writer.js'

const PUBLISH = 3

function notAllowed(name: string, context: number): MalformedPacketError {
  const where = context === 0 ? 'will properties' : `packet type ${context}`
  return new MalformedPacketError('ERR_PROPERTY_NOT_ALLOWED', `${name} is not allowed in ${where}`)
}

function duplicate(name: string): ProtocolError {
  return new ProtocolError('ERR_PROPERTY_DUPLICATE', `${name} appears more than once`)
}

/**
 * Reads a Property Length and the properties after it. Returns undefined when there are none, so decoded
 * packets never carry `properties: {}`.
 */
export function readProperties(r: Reader, context: number): Properties | undefined {
  const length = r.varint()
  if (length > r.remaining) {
    throw new MalformedPacketError('ERR_PROPERTY_LENGTH', `property length ${length} overruns the packet`)
  }
  if (length === 0) return undefined
  const outerEnd = r.end
  r.end = r.pos + length
  r.overrunCode = 'ERR_PROPERTY_LENGTH'
  const props: Record<string, unknown> = {}
  while (r.pos < r.end) {
    const id = r.varint()
    const definition = PROPERTY_BY_ID[id]
    if (definition === undefined) throw new MalformedPacketError('ERR_PROPERTY_ID', `unknown property id ${id}`)
    if (!isPropertyAllowed(definition, context)) throw notAllowed(definition.name, context)
    const name = definition.name
    const existing = props[name]
    if (definition.type === 'pair') {
      const pair: UserProperty = [r.utf8(), r.utf8()] // order kept: user properties may repeat (section 3.1.2.11.8)
      if (existing === undefined) props[name] = [pair]
      else (existing as UserProperty[]).push(pair)
      continue
    }
    const value = readValue(r, definition)
    if (existing === undefined) props[name] = value
    else if (definition.id === 0x0b && context === PUBLISH) {
      // Several Subscription Identifiers only in a PUBLISH the server forwards (section 3.3.2.3.8).
      if (typeof existing === 'number') props[name] = [existing, value]
      else (existing as number[]).push(value as number)
    } else throw duplicate(name)
  }
  r.end = outerEnd
  r.overrunCode = 'ERR_TRUNCATED'
  checkPropertySet(props)
  return props
}

function readValue(r: Reader, definition: PropertyDefinition): unknown {
  let value: number | string
  switch (definition.type) {
    case 'bool': {
      const byte = r.u8()
      if (byte > 1) throw new ProtocolError('ERR_PROPERTY_VALUE', `${definition.name} must be 0 or 1, got ${byte}`)
      return byte === 1
    }
    case 'binary':
      return r.binary()
    case 'byte':
      value = r.u8()
      break
    case 'u16':
      value = r.u16()
      break
    case 'u32':
      value = r.u32()
      break
    case 'varint':
      value = r.varint()
      break
    default:
      value = r.utf8()
  }
  checkPropertyValue(definition, value)
  return value
}

function definitionOf(name: string, context: number): PropertyDefinition {
  const definition = PROPERTY_BY_NAME.get(name)
  if (definition === undefined) throw invalidPacket(`unknown property ${name}`)
  if (!isPropertyAllowed(definition, context)) throw notAllowed(name, context)
  return definition
}

/**
 * The byte length of the properties (without their Property Length; 0 for none). Checks types, the
 * allow-list for `context` and the value rules. Undefined values are skipped.
 */
export function measureProperties(properties: Properties | undefined, context: number): number {
  if (properties === undefined) return 0
  if (typeof properties !== 'object' || properties === null) throw invalidPacket('properties must be an object')
  const props = properties as Record<string, unknown>
  let size = 0
  for (const name in props) {
    const value = props[name]
    if (value === undefined) continue
    const definition = definitionOf(name, context)
    if (definition.type === 'pair') size += measureUserProperties(value)
    else if (definition.id === 0x0b && Array.isArray(value)) {
      if (value.length > 1 && context !== PUBLISH) throw duplicate(name)
      for (const id of value) size += 1 + measureValue(definition, id)
    } else size += 1 + measureValue(definition, value)
  }
  checkPropertySet(properties)
  return size
}

function measureUserProperties(value: unknown): number {
  let size = 0
  for (const pair of checkArray(value, 'userProperties')) {
    if (!Array.isArray(pair) || pair.length !== 2) throw invalidPacket('a user property must be a [name, value] pair')
    size += 5 + utf8Length(pair[0]) + utf8Length(pair[1])
  }
  return size
}

function measureValue(definition: PropertyDefinition, value: unknown): number {
  const name = definition.name
  switch (definition.type) {
    case 'bool':
      checkBoolean(value, name)
      return 1
    case 'byte':
      checkPropertyValue(definition, checkU8(value, name))
      return 1
    case 'u16':
      checkPropertyValue(definition, checkU16(value, name))
      return 2
    case 'u32':
      checkPropertyValue(definition, checkU32(value, name))
      return 4
    case 'varint': {
      const n = checkU32(value, name)
      if (n > SUBSCRIPTION_IDENTIFIER_MAX) throw new ProtocolError('ERR_PROPERTY_VALUE', `${name} ${n} is too large`)
      checkPropertyValue(definition, n)
      return varintSize(n)
    }
    case 'binary':
      return 2 + checkBinary(value, name).length
    default: {
      const length = utf8Length(value as string)
      checkPropertyValue(definition, value as string)
      return 2 + length
    }
  }
}

/** Writes the Property Length `size` (from measureProperties) and then the properties. */
export function writeProperties(
  buf: Uint8Array,
  pos: number,
  properties: Properties | undefined,
  size: number,
): number {
  pos = writeVarint(buf, pos, size)
  if (size === 0 || properties === undefined) return pos
  const props = properties as Record<string, unknown>
  for (const name in props) {
    const value = props[name]
    if (value === undefined) continue
    const definition = PROPERTY_BY_NAME.get(name)!
    if (definition.type === 'pair') {
      for (const [key, text] of value as UserProperty[]) {
        buf[pos] = definition.id
        pos = writeUtf8(buf, writeUtf8(buf, pos + 1, key), text)
      }
    } else if (Array.isArray(value)) {
      for (const id of value as number[]) pos = writeVarint(buf, writeVarint(buf, pos, definition.id), id)
    } else {
      buf[pos++] = definition.id
      pos = writeValue(buf, pos, definition, value)
    }
  }
  return pos
}

function writeValue(buf: Uint8Array, pos: number, definition: PropertyDefinition, value: unknown): number {
  switch (definition.type) {
    case 'bool':
      buf[pos] = value ? 1 : 0
      return pos + 1
    case 'byte':
      buf[pos] = value as number
      return pos + 1
    case 'u16':
      return writeU16(buf, pos, value as number)
    case 'u32':
      return writeU32(buf, pos, value as number)
    case 'varint':
      return writeVarint(buf, pos, value as number)
    case 'binary':
      return writeBinary(buf, pos, value as Uint8Array)
    default:
      return writeUtf8(buf, pos, value as string)
  }
}
