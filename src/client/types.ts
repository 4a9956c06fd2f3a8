// Public types of the Client: messages, events, operation results.
import type { MqttError } from '../packet/errors.js'
import type { ConnackPacket, Properties, ProtocolVersion, QoS } from '../packet/types.js'
import type { ReceivedMessage, SessionStats } from '../session/api.js'

/** A message from the server. `payload` is a Uint8Array (use `new TextDecoder().decode(m.payload)` for text). */
export interface Message extends ReceivedMessage {
  /**
   * Only with `manualAck: true`: sends the PUBACK (QoS 1) or PUBREC (QoS 2) for this message, optionally
   * with an MQTT 5 reason code. Without manualAck the client acks as soon as the message is handed over.
   */
  ack?: (reasonCode?: number) => void
}

export type ClientState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnecting' | 'closed'

export interface ConnectEvent {
  sessionPresent: boolean
  /** The protocol version in use (after any fallback). */
  protocolVersion: ProtocolVersion
  /** MQTT 5 CONNACK properties (assigned client id, server keep alive, receive maximum, ...). */
  properties?: Properties
  connack: ConnackPacket
  /** true when this CONNACK followed a reconnect rather than the first connect(). */
  reconnected: boolean
}

export interface DisconnectEvent {
  /** The MQTT 5 reason code of the DISCONNECT (0 for 3.1 / 3.1.1). */
  reasonCode: number
  /** true: the server sent DISCONNECT. false: this client did (disconnect()). */
  fromServer: boolean
  properties?: Properties
}

export interface ReconnectingEvent {
  /** 1 for the first attempt after a loss; reset after each successful CONNACK. */
  attempt: number
  /** Milliseconds until the attempt starts. */
  delay: number
}

/** `client.stats`: the session's outgoing counters and the client's reconnections. */
export interface ClientStats extends SessionStats {
  /** Successful reconnections (accepted CONNACKs after the first connect). */
  reconnects: number
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface LogEntry {
  level: LogLevel
  message: string
  error?: MqttError
  [field: string]: unknown
}

export interface ClientEvents {
  /** A CONNACK accepted the connection (first connect and every reconnect). */
  connect: ConnectEvent
  /** A DISCONNECT was exchanged: sent by the server, or by disconnect(). */
  disconnect: DisconnectEvent
  /** The connection was lost; the client is no longer connected. */
  offline: { error?: MqttError }
  /** mqtt_as's `up`: same moment and argument as `connect`. */
  up: ConnectEvent
  /** mqtt_as's `down`: same moment and argument as `offline`. */
  down: { error?: MqttError }
  /** A reconnect attempt is scheduled. */
  reconnecting: ReconnectingEvent
  /** The client is finished for good: close(), disconnect(), or a fatal refusal while reconnecting. */
  close: { error?: MqttError }
  /** A message no per-topic handler took (see messageCallbackAdd). */
  message: Message
  /** PINGRESP arrived: the link is up. */
  pong: { roundTripMs: number }
  /** Something failed that no promise reports. Without a listener it goes to the logger, never a crash. */
  error: MqttError
  log: LogEntry
}

/** The outcome for one filter of a SUBSCRIBE. */
export interface SubscribeResult {
  topic: string
  /** The granted QoS; undefined when the server refused the filter. */
  qos?: QoS
  /** The granted QoS (0..2) or an MQTT 5 failure code (>= 0x80; 0x80 for 3.1.1 failures). */
  reasonCode: number
}

/** The outcome for one filter of an UNSUBSCRIBE. */
export interface UnsubscribeResult {
  topic: string
  /** MQTT 5 reason code (0 = success, 0x11 = no subscription existed); always 0 for 3.1 / 3.1.1. */
  reasonCode: number
}
