// Errors raised by the session. Every one is an MqttError with a stable `code`; the reason code is the
// MQTT 5 one (also for 3.1 / 3.1.1, whose CONNACK return codes are mapped to it).
import { MqttError, nameErrorClass, ProtocolError } from '../packet/errors.js'
import { reasonCodeName } from '../packet/reason-codes.js'

/** Stable codes of the session's own errors. */
export type SessionErrorCode =
  | 'ERR_INVALID_ARGUMENT' // a command called with arguments the protocol does not allow
  | 'ERR_QUEUE_FULL' // maxQueued messages already wait behind the in-flight window
  | 'ERR_DROPPED' // the full queue's overflow policy dropped this message (queueOverflow: 'drop-*')
  | 'ERR_PACKET_ID_EXHAUSTED' // all 65,535 packet identifiers are in use
  | 'ERR_QOS_NOT_SUPPORTED' // the server's Maximum QoS is below the requested QoS
  | 'ERR_RETAIN_NOT_SUPPORTED' // the server said Retain Available = 0
  | 'ERR_WILDCARD_NOT_SUPPORTED' // the server said Wildcard Subscription Available = 0
  | 'ERR_SHARED_NOT_SUPPORTED' // the server said Shared Subscription Available = 0
  | 'ERR_SUBSCRIPTION_ID_NOT_SUPPORTED' // the server said Subscription Identifiers Available = 0
  | 'ERR_NOT_CONNECTED' // a command that needs a live connection
  | 'ERR_KEEPALIVE_TIMEOUT' // no PINGRESP within the response timeout
  | 'ERR_CONNECTION_LOST' // the transport closed before the CONNACK
  | 'ERR_AUTH_FAILED' // the authenticator refused a challenge
  | 'ERR_SERVER_DISCONNECT' // the server sent DISCONNECT (reasonCode = its reason code)
  | 'ERR_INTERNAL' // handling a received packet failed with an error that is not an MqttError
  | 'ERR_STORE_CLIENT_ID' // the store holds the session of another client id than the one given

export class SessionError extends MqttError {
  static {
    nameErrorClass(SessionError, 'SessionError')
  }
  constructor(code: SessionErrorCode, message: string, reasonCode?: number) {
    super(code, message, reasonCode === undefined ? {} : { reasonCode })
  }
}

/** The server refused the connection. `reasonCode` is MQTT 5's; `returnCode` the raw 3.1 / 3.1.1 one. */
export class ConnectError extends MqttError {
  static {
    nameErrorClass(ConnectError, 'ConnectError')
  }
  readonly returnCode: number | undefined

  constructor(reasonCode: number, returnCode?: number) {
    const raw = returnCode === undefined ? '' : ` (return code ${returnCode})`
    super('ERR_CONNECT_REFUSED', `connection refused: ${reasonCodeName(reasonCode, 'connack')}${raw}`, { reasonCode })
    this.returnCode = returnCode
  }
}

/** The server answered a PUBLISH with a failure reason code (PUBACK / PUBREC / PUBCOMP >= 0x80). */
export class PublishError extends MqttError {
  static {
    nameErrorClass(PublishError, 'PublishError')
  }
  constructor(reasonCode: number, packetType: 'puback' | 'pubrec' | 'pubcomp') {
    super('ERR_PUBLISH_REJECTED', `${packetType.toUpperCase()}: ${reasonCodeName(reasonCode, packetType)}`, {
      reasonCode,
    })
  }
}

/** A Topic Alias the server should not have sent (0, above our maximum, or never defined): 0x94. */
export class TopicAliasError extends MqttError {
  static {
    nameErrorClass(TopicAliasError, 'TopicAliasError')
  }
  constructor(message: string) {
    super('ERR_TOPIC_ALIAS_INVALID', message, { reasonCode: 0x94 })
  }
}

/** Stable codes for server packets that break the protocol (all reason code 0x82). */
export type SessionProtocolErrorCode =
  | 'ERR_UNEXPECTED_PACKET' // a packet a server must not send, or one before CONNACK
  | 'ERR_UNKNOWN_PACKET_ID' // an ack for a packet identifier that is not in flight
  | 'ERR_SUBACK_COUNT' // SUBACK / UNSUBACK with a different number of reason codes than filters
  | 'ERR_SESSION_PRESENT' // Session Present = 1 after a clean start [MQTT-3.2.2-4]
  | 'ERR_AUTH_METHOD' // AUTH with another method, or AUTH when no authentication was started

export function protocolError(code: SessionProtocolErrorCode, message: string): ProtocolError {
  return new ProtocolError(code, message)
}

export function invalidArgument(message: string): SessionError {
  return new SessionError('ERR_INVALID_ARGUMENT', message)
}
