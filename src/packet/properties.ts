// The 27 MQTT 5 properties (MQTT 5.0 section 2.2.2.2): identifier, data type, where each may appear, and the
// value rules whose breach is a Protocol Error.
import { ProtocolError } from './errors.js'
import { validateTopicName } from './topic.js'
import type { Properties } from './types.js'

/** Wire data types; 'bool' is a Byte that must be 0 or 1. */
export type PropertyType = 'bool' | 'byte' | 'u16' | 'u32' | 'varint' | 'utf8' | 'binary' | 'pair'

/** Where a property list sits: a packet type number (1..15), or WILL for the CONNECT's will properties. */
export const WILL = 0

export interface PropertyDefinition {
  readonly id: number
  readonly name: keyof Properties
  readonly type: PropertyType
  /** Bit n set = allowed in context n (a packet type number, or WILL). */
  readonly contexts: number
}

const CONNECT = 1
const CONNACK = 2
const PUBLISH = 3
const PUBACK = 4
const PUBREC = 5
const PUBREL = 6
const PUBCOMP = 7
const SUBSCRIBE = 8
const SUBACK = 9
const UNSUBSCRIBE = 10
const UNSUBACK = 11
const DISCONNECT = 14
const AUTH = 15

const ACKS = [PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK]
const EVERY_PACKET_WITH_PROPERTIES = [
  CONNECT,
  CONNACK,
  PUBLISH,
  WILL,
  ...ACKS,
  SUBSCRIBE,
  UNSUBSCRIBE,
  DISCONNECT,
  AUTH,
]

function define(id: number, name: keyof Properties, type: PropertyType, contexts: number[]): PropertyDefinition {
  let mask = 0
  for (const context of contexts) mask |= 1 << context
  return { id, name, type, contexts: mask }
}

export const PROPERTY_DEFINITIONS: readonly PropertyDefinition[] = [
  define(0x01, 'payloadFormatIndicator', 'bool', [PUBLISH, WILL]),
  define(0x02, 'messageExpiryInterval', 'u32', [PUBLISH, WILL]),
  define(0x03, 'contentType', 'utf8', [PUBLISH, WILL]),
  define(0x08, 'responseTopic', 'utf8', [PUBLISH, WILL]),
  define(0x09, 'correlationData', 'binary', [PUBLISH, WILL]),
  define(0x0b, 'subscriptionIdentifier', 'varint', [PUBLISH, SUBSCRIBE]),
  define(0x11, 'sessionExpiryInterval', 'u32', [CONNECT, CONNACK, DISCONNECT]),
  define(0x12, 'assignedClientIdentifier', 'utf8', [CONNACK]),
  define(0x13, 'serverKeepAlive', 'u16', [CONNACK]),
  define(0x15, 'authenticationMethod', 'utf8', [CONNECT, CONNACK, AUTH]),
  define(0x16, 'authenticationData', 'binary', [CONNECT, CONNACK, AUTH]),
  define(0x17, 'requestProblemInformation', 'bool', [CONNECT]),
  define(0x18, 'willDelayInterval', 'u32', [WILL]),
  define(0x19, 'requestResponseInformation', 'bool', [CONNECT]),
  define(0x1a, 'responseInformation', 'utf8', [CONNACK]),
  define(0x1c, 'serverReference', 'utf8', [CONNACK, DISCONNECT]),
  define(0x1f, 'reasonString', 'utf8', [CONNACK, ...ACKS, DISCONNECT, AUTH]),
  define(0x21, 'receiveMaximum', 'u16', [CONNECT, CONNACK]),
  define(0x22, 'topicAliasMaximum', 'u16', [CONNECT, CONNACK]),
  define(0x23, 'topicAlias', 'u16', [PUBLISH]),
  define(0x24, 'maximumQoS', 'byte', [CONNACK]),
  define(0x25, 'retainAvailable', 'bool', [CONNACK]),
  define(0x26, 'userProperties', 'pair', EVERY_PACKET_WITH_PROPERTIES),
  define(0x27, 'maximumPacketSize', 'u32', [CONNECT, CONNACK]),
  define(0x28, 'wildcardSubscriptionAvailable', 'bool', [CONNACK]),
  define(0x29, 'subscriptionIdentifiersAvailable', 'bool', [CONNACK]),
  define(0x2a, 'sharedSubscriptionAvailable', 'bool', [CONNACK]),
]

export const PROPERTY_BY_ID: readonly (PropertyDefinition | undefined)[] = (() => {
  const table: (PropertyDefinition | undefined)[] = new Array(0x80).fill(undefined)
  for (const definition of PROPERTY_DEFINITIONS) table[definition.id] = definition
  return table
})()

export const PROPERTY_BY_NAME: ReadonlyMap<string, PropertyDefinition> = new Map(
  PROPERTY_DEFINITIONS.map((definition) => [definition.name, definition]),
)

export function isPropertyAllowed(definition: PropertyDefinition, context: number): boolean {
  return (definition.contexts & (1 << context)) !== 0
}

export const SUBSCRIPTION_IDENTIFIER_MAX = 268_435_455

function valueError(name: string, value: unknown): ProtocolError {
  return new ProtocolError('ERR_PROPERTY_VALUE', `${name} must not be ${String(value)}`)
}

/** The value rules the spec states as Protocol Errors; `value` is already of the property's data type. */
export function checkPropertyValue(definition: PropertyDefinition, value: number | string): void {
  switch (definition.id) {
    case 0x0b: // Subscription Identifier: 1..268,435,455 (MQTT 5.0 section 3.3.2.3.8)
    case 0x21: // Receive Maximum (section 3.1.2.11.3)
    case 0x23: // Topic Alias [MQTT-3.3.2-8]
    case 0x27: // Maximum Packet Size (section 3.1.2.11.4)
      if (value === 0) throw valueError(definition.name, value)
      break
    case 0x24: // Maximum QoS (section 3.2.2.3.4)
      if (value !== 0 && value !== 1) throw valueError(definition.name, value)
      break
    case 0x08: // Response Topic: a Topic Name, no wildcards [MQTT-3.3.2-14]
      validateTopicName(value as string)
      break
  }
}

/** Authentication Data without an Authentication Method is a Protocol Error (section 3.1.2.11.10). */
export function checkPropertySet(properties: Properties): void {
  if (properties.authenticationData !== undefined && properties.authenticationMethod === undefined) {
    throw new ProtocolError('ERR_PROPERTY_VALUE', 'authenticationData without authenticationMethod')
  }
}
