// MQTT 5 reason codes (MQTT 5.0 section 2.4), which packet types may carry each one, and Paho's text helpers
// for 3.1.1 CONNACK return codes and its MQTT_ERR_* numbers.
import type { PacketType } from './types.js'

/** The packet types that carry reason codes in MQTT 5. */
export type ReasonCodePacketType = Extract<
  PacketType,
  'connack' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'suback' | 'unsuback' | 'disconnect' | 'auth'
>

type Entry = readonly [code: number, name: string, packetTypes: readonly ReasonCodePacketType[]]

// One row per (code, name); 0x00 has three names depending on the packet type. The names are also the source
// of the `ReasonCode` constants, so the bundle spells them once.
const ENTRIES = [
  [0x00, 'Success', ['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'unsuback', 'auth']],
  [0x00, 'Normal disconnection', ['disconnect']],
  [0x00, 'Granted QoS 0', ['suback']],
  [0x01, 'Granted QoS 1', ['suback']],
  [0x02, 'Granted QoS 2', ['suback']],
  [0x04, 'Disconnect with Will Message', ['disconnect']],
  [0x10, 'No matching subscribers', ['puback', 'pubrec']],
  [0x11, 'No subscription existed', ['unsuback']],
  [0x18, 'Continue authentication', ['auth']],
  [0x19, 'Re-authenticate', ['auth']],
  [0x80, 'Unspecified error', ['connack', 'puback', 'pubrec', 'suback', 'unsuback', 'disconnect']],
  [0x81, 'Malformed Packet', ['connack', 'disconnect']],
  [0x82, 'Protocol Error', ['connack', 'disconnect']],
  [0x83, 'Implementation specific error', ['connack', 'puback', 'pubrec', 'suback', 'unsuback', 'disconnect']],
  [0x84, 'Unsupported Protocol Version', ['connack']],
  [0x85, 'Client Identifier not valid', ['connack']],
  [0x86, 'Bad User Name or Password', ['connack']],
  [0x87, 'Not authorized', ['connack', 'puback', 'pubrec', 'suback', 'unsuback', 'disconnect']],
  [0x88, 'Server unavailable', ['connack']],
  [0x89, 'Server busy', ['connack', 'disconnect']],
  [0x8a, 'Banned', ['connack']],
  [0x8b, 'Server shutting down', ['disconnect']],
  [0x8c, 'Bad authentication method', ['connack', 'disconnect']],
  [0x8d, 'Keep Alive timeout', ['disconnect']],
  [0x8e, 'Session taken over', ['disconnect']],
  [0x8f, 'Topic Filter invalid', ['suback', 'unsuback', 'disconnect']],
  [0x90, 'Topic Name invalid', ['connack', 'puback', 'pubrec', 'disconnect']],
  [0x91, 'Packet Identifier in use', ['puback', 'pubrec', 'suback', 'unsuback']],
  [0x92, 'Packet Identifier not found', ['pubrel', 'pubcomp']],
  [0x93, 'Receive Maximum exceeded', ['disconnect']],
  [0x94, 'Topic Alias invalid', ['disconnect']],
  [0x95, 'Packet too large', ['connack', 'disconnect']],
  [0x96, 'Message rate too high', ['disconnect']],
  [0x97, 'Quota exceeded', ['connack', 'puback', 'pubrec', 'suback', 'disconnect']],
  [0x98, 'Administrative action', ['disconnect']],
  [0x99, 'Payload format invalid', ['connack', 'puback', 'pubrec', 'disconnect']],
  [0x9a, 'Retain not supported', ['connack', 'disconnect']],
  [0x9b, 'QoS not supported', ['connack', 'disconnect']],
  [0x9c, 'Use another server', ['connack', 'disconnect']],
  [0x9d, 'Server moved', ['connack', 'disconnect']],
  [0x9e, 'Shared Subscriptions not supported', ['suback', 'disconnect']],
  [0x9f, 'Connection rate exceeded', ['connack', 'disconnect']],
  [0xa0, 'Maximum connect time', ['disconnect']],
  [0xa1, 'Subscription Identifiers not supported', ['suback', 'disconnect']],
  [0xa2, 'Wildcard Subscriptions not supported', ['suback', 'disconnect']],
] as const satisfies readonly Entry[]
const ROWS: readonly Entry[] = ENTRIES

/** A spec name as a constant name: 'Bad User Name or Password' → 'BadUserNameOrPassword'. */
type ConstantName<Name extends string> = Name extends `${infer Head} ${infer Tail}`
  ? `${Head}${ConstantName<Capitalize<Tail>>}`
  : Name extends `${infer Head}-${infer Tail}`
    ? `${Head}${ConstantName<Capitalize<Tail>>}`
    : Name

/** The type of `ReasonCode`: `{ readonly Success: 0x00, ..., readonly WildcardSubscriptionsNotSupported: 0xa2 }`. */
export type ReasonCodeConstants = { readonly [Row in (typeof ENTRIES)[number] as ConstantName<Row[1]>]: Row[0] }

/** Named constants for every MQTT 5 reason code, derived from the spec names (each starts upper-case). */
export const ReasonCode = Object.fromEntries(
  ROWS.map(([code, name]) => [name.replace(/[ -](.)/g, (_, letter: string) => letter.toUpperCase()), code]),
) as ReasonCodeConstants

function buildValidity(): Readonly<Record<ReasonCodePacketType, ReadonlySet<number>>> {
  const table: Record<ReasonCodePacketType, Set<number>> = {
    connack: new Set(),
    puback: new Set(),
    pubrec: new Set(),
    pubrel: new Set(),
    pubcomp: new Set(),
    suback: new Set(),
    unsuback: new Set(),
    disconnect: new Set(),
    auth: new Set(),
  }
  for (const [code, , types] of ROWS) for (const type of types) table[type].add(code)
  return table
}

/** For each packet type, the reason codes MQTT 5 allows in it ([MQTT-3.4.2-1], [MQTT-3.14.2-1], ...). */
export const VALID_REASON_CODES: Readonly<Record<ReasonCodePacketType, ReadonlySet<number>>> = buildValidity()

/** Whether `code` is a reason code MQTT 5 defines for `packetType`; false for types without reason codes. */
export function isValidReasonCode(packetType: PacketType, code: number): boolean {
  return VALID_REASON_CODES[packetType as ReasonCodePacketType]?.has(code) ?? false
}

/** Codes 0x80 and above report failure (MQTT 5.0 section 2.4). */
export function isFailure(code: number): boolean {
  return code >= 0x80
}

/**
 * The spec's name for a reason code. With a packet type, the name that type uses (0x00 reads "Normal
 * disconnection" in DISCONNECT, "Granted QoS 0" in SUBACK); without one, the first name. Unknown codes read
 * "Unknown reason code 0x..".
 */
export function reasonCodeName(code: number, packetType?: PacketType): string {
  let fallback: string | undefined
  for (const [entryCode, name, types] of ROWS) {
    if (entryCode !== code) continue
    if (packetType === undefined || types.includes(packetType as ReasonCodePacketType)) return name
    fallback ??= name
  }
  return fallback ?? `Unknown reason code 0x${code.toString(16).padStart(2, '0')}`
}

// Paho's texts for the MQTT 3.1 / 3.1.1 CONNACK return codes 0..5.
const CONNACK_RETURN_TEXTS: readonly string[] = [
  'Connection Accepted.',
  'Connection Refused: unacceptable protocol version.',
  'Connection Refused: identifier rejected.',
  'Connection Refused: broker unavailable.',
  'Connection Refused: bad user name or password.',
  'Connection Refused: not authorised.',
]

/**
 * Paho's connack_string: the text of a 3.1 / 3.1.1 CONNACK return code (0..5), or the name of an MQTT 5
 * CONNACK reason code. Pass `protocolVersion` 5 to read 0 as "Success".
 */
export function connackString(returnCode: number, protocolVersion?: 3 | 4 | 5): string {
  if (protocolVersion !== 5 && returnCode >= 0 && returnCode < CONNACK_RETURN_TEXTS.length) {
    return CONNACK_RETURN_TEXTS[returnCode]!
  }
  if (isValidReasonCode('connack', returnCode)) return reasonCodeName(returnCode, 'connack')
  return 'Connection Refused: unknown reason.'
}

/** Paho's MQTT_ERR_* numbers. */
export const MQTT_ERR = {
  AGAIN: -1,
  SUCCESS: 0,
  NOMEM: 1,
  PROTOCOL: 2,
  INVAL: 3,
  NO_CONN: 4,
  CONN_REFUSED: 5,
  NOT_FOUND: 6,
  CONN_LOST: 7,
  TLS: 8,
  PAYLOAD_SIZE: 9,
  NOT_SUPPORTED: 10,
  AUTH: 11,
  ACL_DENIED: 12,
  UNKNOWN: 13,
  ERRNO: 14,
  QUEUE_SIZE: 15,
  KEEPALIVE: 16,
} as const

const ERROR_TEXTS: Readonly<Record<number, string>> = {
  [MQTT_ERR.SUCCESS]: 'No error.',
  [MQTT_ERR.NOMEM]: 'Out of memory.',
  [MQTT_ERR.PROTOCOL]: 'A network protocol error occurred when communicating with the broker.',
  [MQTT_ERR.INVAL]: 'Invalid function arguments provided.',
  [MQTT_ERR.NO_CONN]: 'The client is not currently connected.',
  [MQTT_ERR.CONN_REFUSED]: 'The connection was refused.',
  [MQTT_ERR.NOT_FOUND]: 'Message not found (internal error).',
  [MQTT_ERR.CONN_LOST]: 'The connection was lost.',
  [MQTT_ERR.TLS]: 'A TLS error occurred.',
  [MQTT_ERR.PAYLOAD_SIZE]: 'Payload too large.',
  [MQTT_ERR.NOT_SUPPORTED]: 'This feature is not supported.',
  [MQTT_ERR.AUTH]: 'Authorisation failed.',
  [MQTT_ERR.ACL_DENIED]: 'Access denied by ACL.',
  [MQTT_ERR.UNKNOWN]: 'Unknown error.',
  [MQTT_ERR.ERRNO]: 'Error defined by errno.',
  [MQTT_ERR.QUEUE_SIZE]: 'Message queue full.',
  [MQTT_ERR.KEEPALIVE]: 'Client or broker did not communicate in the keepalive interval.',
}

/** Paho's error_string: the text of an MQTT_ERR_* number ("Unknown error." for others, AGAIN included). */
export function errorString(errno: number): string {
  return ERROR_TEXTS[errno] ?? 'Unknown error.'
}
