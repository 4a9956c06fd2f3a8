// Building CONNECT and reading CONNACK, for MQTT 3.1, 3.1.1 and 5.0.
import type { MqttError } from '../packet/errors.js'
import { validateTopicName } from '../packet/topic.js'
import type { ConnackPacket, ConnectPacket, Properties, ProtocolVersion } from '../packet/types.js'
import { utf8Length } from '../packet/utf8.js'
import type { SessionOptions } from './api.js'
import { ConnectError, invalidArgument } from './errors.js'

/** Whether the server keeps our session after the connection closes, given the options. */
function sessionKept(options: SessionOptions, version: ProtocolVersion): boolean {
  if (version === 5) return (options.properties?.sessionExpiryInterval ?? 0) > 0 // [MQTT-3.1.2-23]
  return options.clean === false // 3.1.1 [MQTT-3.1.2-4]
}

/** Clean Start / Clean Session for this connection: `clean` first, then `cleanOnReconnect`. */
export function cleanFlag(options: SessionOptions, version: ProtocolVersion, firstConnection: boolean): boolean {
  if (firstConnection) return options.clean ?? true
  return options.cleanOnReconnect ?? !sessionKept(options, version)
}

/** The reason the options cannot make a CONNECT for `version`, if any (bad arguments, not server errors). */
export function connectOptionsProblem(
  options: SessionOptions,
  version: ProtocolVersion,
  clientId: string,
  clean: boolean,
): MqttError | undefined {
  const keepalive = options.keepalive ?? 60
  if (!Number.isInteger(keepalive) || keepalive < 0 || keepalive > 0xffff) {
    return invalidArgument(`keepalive must be an integer 0..65535 seconds, got ${keepalive}`)
  }
  // 3.1.1 [MQTT-3.1.2-22]: a password needs a user name; MQTT 5 lifts the rule.
  if (version !== 5 && options.password !== undefined && options.username === undefined) {
    return invalidArgument('MQTT 3.1 / 3.1.1 send a password only together with a user name')
  }
  // 3.1.1 [MQTT-3.1.3-7]: an empty client id needs Clean Session = 1; MQTT 3.1 needs 1..23 characters.
  if (clientId === '' && version === 4 && !clean) {
    return invalidArgument('an empty client id needs clean = true in MQTT 3.1.1')
  }
  if (clientId === '' && version === 3) return invalidArgument('MQTT 3.1 needs a client id of 1..23 characters')
  if (options.will) {
    try {
      validateTopicName(options.will.topic)
      utf8Length(options.will.topic) // [MQTT-1.5.4-1] [MQTT-1.5.4-2]: refused here, not when CONNECT is built
    } catch (error) {
      return error as MqttError
    }
    if (![0, 1, 2].includes(options.will.qos)) return invalidArgument('will QoS must be 0, 1 or 2') // [MQTT-3.1.2-12]
  }
  if (options.authenticator && version !== 5) return invalidArgument('enhanced authentication needs MQTT 5')
  return undefined
}

export function buildConnect(
  options: SessionOptions,
  version: ProtocolVersion,
  clientId: string,
  clean: boolean,
): ConnectPacket {
  const packet: ConnectPacket = {
    type: 'connect',
    protocolVersion: version,
    clientId,
    clean,
    keepalive: options.keepalive ?? 60,
  }
  if (options.bridge === true && version !== 5) packet.bridge = true
  if (options.username !== undefined) packet.username = options.username
  if (options.password !== undefined) packet.password = options.password
  if (options.will) {
    const { properties, ...will } = options.will
    packet.will = version === 5 && properties ? { ...will, properties } : will
  }
  if (version === 5) {
    const properties: Properties = { ...options.properties }
    const auth = options.authenticator
    if (auth) {
      properties.authenticationMethod = auth.method
      const data = auth.initialData?.()
      if (data !== undefined) properties.authenticationData = data
    }
    if (Object.keys(properties).length > 0) packet.properties = properties
  }
  return packet
}

// 3.1 / 3.1.1 CONNACK return codes 1..5 as MQTT 5 reason codes.
const RETURN_CODE_TO_REASON: Readonly<Record<number, number>> = { 1: 0x84, 2: 0x85, 3: 0x88, 4: 0x86, 5: 0x87 }

// Refusals that will repeat on a retry with the same CONNECT: the client should stop reconnecting.
const FATAL_REASONS = new Set([0x81, 0x82, 0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c, 0x90, 0x95, 0x99, 0x9a, 0x9b])

export type ConnackOutcome =
  | { kind: 'accepted' }
  | { kind: 'fallback'; protocolVersion: ProtocolVersion }
  | { kind: 'refused'; error: ConnectError; fatal: boolean }

/** What a CONNACK means: accepted, a refusal, or "unacceptable protocol version" with a lower one to try. */
export function readConnack(connack: ConnackPacket, version: ProtocolVersion, pinned: boolean): ConnackOutcome {
  if (connack.reasonCode === 0) return { kind: 'accepted' }
  const returnCode = version === 5 ? undefined : connack.reasonCode
  const reason = version === 5 ? connack.reasonCode : (RETURN_CODE_TO_REASON[connack.reasonCode] ?? 0x80)
  if (reason === 0x84 && !pinned && version > 3) {
    return { kind: 'fallback', protocolVersion: (version - 1) as ProtocolVersion }
  }
  const error = new ConnectError(reason, returnCode)
  return { kind: 'refused', error, fatal: FATAL_REASONS.has(reason) }
}

/**
 * A 3.1.1-only server may answer an MQTT 5 CONNECT with a 3.1.1 CONNACK "unacceptable protocol version"
 * (20 02 00 01), which an MQTT 5 decoder rejects. Recognise it from the first bytes of the connection.
 */
export function isLegacyVersionRefusal(firstBytes: readonly number[]): boolean {
  return firstBytes.length >= 4 && firstBytes[0] === 0x20 && firstBytes[1] === 0x02 && firstBytes[3] === 0x01
}
