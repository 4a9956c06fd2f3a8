// Every error Petrel raises is an MqttError with a stable string `code` (tests and users branch on it,
// never on message text) and, where MQTT defines one, the MQTT 5 `reasonCode`.

export interface MqttErrorOptions {
  reasonCode?: number
  cause?: unknown
}

/**
 * Gives an error class its `name` on the prototype. Minifiers rename classes, so `new.target.name` would
 * turn `ConnectError` into `l` in the browser bundle; a literal survives.
 */
export function nameErrorClass(errorClass: abstract new (...args: never[]) => Error, name: string): void {
  Object.defineProperty(errorClass.prototype, 'name', { value: name, writable: true, configurable: true })
}

export class MqttError extends Error {
  static {
    nameErrorClass(MqttError, 'MqttError')
  }
  readonly code: string
  readonly reasonCode: number | undefined

  constructor(code: string, message: string, options: MqttErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.reasonCode = options.reasonCode
  }
}

/** Codes of the codec's errors. Stable: renaming one is a breaking change. */
export type CodecErrorCode =
  // framing
  | 'ERR_REMAINING_LENGTH' // more than 4 bytes, or a non-minimal encoding
  | 'ERR_PACKET_TYPE' // packet type 0, or 15 (AUTH) before MQTT 5
  | 'ERR_HEADER_FLAGS' // reserved fixed-header flag bits wrong
  | 'ERR_TRUNCATED' // the body ends before a field does
  | 'ERR_TRAILING_BYTES' // bytes left inside a frame after the last field
  | 'ERR_PACKET_TOO_LARGE' // over the maximum packet size
  // fields
  | 'ERR_QOS' // QoS 3 or a QoS not allowed here
  | 'ERR_PACKET_ID' // packet id 0 where one is required
  | 'ERR_UTF8' // ill-formed UTF-8, U+0000 or a surrogate, or over 65,535 bytes
  | 'ERR_TOPIC_NAME' // empty, or containing a wildcard
  | 'ERR_TOPIC_FILTER' // empty, or a misplaced wildcard
  | 'ERR_PROTOCOL_NAME' // not MQTT / MQIsdp, or not matching the level
  | 'ERR_PROTOCOL_VERSION' // an unknown protocol level
  | 'ERR_CONNECT_FLAGS' // reserved bit set, or an inconsistent will / password flag
  | 'ERR_CONNACK_FLAGS' // reserved acknowledge flag bits set
  | 'ERR_REASON_CODE' // a reason code not valid for this packet type
  | 'ERR_SUBSCRIPTION_OPTIONS' // reserved option bits, or retain handling 3
  | 'ERR_EMPTY_LIST' // SUBSCRIBE / UNSUBSCRIBE / SUBACK without entries
  | 'ERR_CLIENT_ID' // invalid client identifier
  // properties
  | 'ERR_PROPERTY_ID' // unknown property identifier
  | 'ERR_PROPERTY_NOT_ALLOWED' // not allowed in this packet type
  | 'ERR_PROPERTY_DUPLICATE' // a single-valued property repeated
  | 'ERR_PROPERTY_VALUE' // a value out of range (e.g. Receive Maximum 0)
  | 'ERR_PROPERTY_LENGTH' // property length overruns the packet
  | 'ERR_VARINT' // a Variable Byte Integer longer than 4 bytes
  // arguments given to encode()
  | 'ERR_INVALID_PACKET' // a packet object that cannot be encoded (missing field, wrong type)

/** A packet that is not well formed (MQTT 5 reason code 0x81). */
export class MalformedPacketError extends MqttError {
  static {
    nameErrorClass(MalformedPacketError, 'MalformedPacketError')
  }
  constructor(code: CodecErrorCode, message: string, options: MqttErrorOptions = {}) {
    super(code, message, { reasonCode: 0x81, ...options })
  }
}

/** A well-formed packet that breaks a protocol rule (MQTT 5 reason code 0x82). */
export class ProtocolError extends MqttError {
  static {
    nameErrorClass(ProtocolError, 'ProtocolError')
  }
  constructor(code: string, message: string, options: MqttErrorOptions = {}) {
    super(code, message, { reasonCode: 0x82, ...options })
  }
}

/** A packet larger than the maximum packet size in force (MQTT 5 reason code 0x95). */
export class PacketTooLargeError extends MqttError {
  static {
    nameErrorClass(PacketTooLargeError, 'PacketTooLargeError')
  }
  readonly size: number
  readonly limit: number

  constructor(size: number, limit: number, message = `packet of ${size} bytes exceeds the limit of ${limit} bytes`) {
    super('ERR_PACKET_TOO_LARGE', message, { reasonCode: 0x95 })
    this.size = size
    this.limit = limit
  }
}
