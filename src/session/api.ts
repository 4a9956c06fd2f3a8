// The contract between the sans-IO session (src/session) and the I/O layer that drives it (src/client).
// The session never reads a clock or owns a timer: every call takes `now` in milliseconds, and
// `nextDeadline()` says when `tick(now)` is next due. Bytes to write and events to act on are pulled with
// `takeOutgoing()` and `takeEvents()` after every call.
import type { MqttError } from '../packet/errors.js'
import type {
  ConnackPacket,
  Properties,
  ProtocolVersion,
  PublishPacket,
  QoS,
  Subscription,
  Will,
} from '../packet/types.js'
import type { SessionStore } from './store.js'

export type SessionState = 'offline' | 'connecting' | 'connected' | 'disconnecting'

/** Pluggable enhanced authentication (MQTT 5 AUTH exchanges). */
export interface Authenticator {
  /** The Authentication Method property sent in CONNECT. */
  readonly method: string
  /** Authentication Data for the CONNECT (or for a re-authentication), if any. */
  initialData?(): Uint8Array | undefined
  /** Answer a server AUTH (reason code 0x18, continue): the data to send back. Throw to abort. */
  challenge(data: Uint8Array | undefined, properties: Properties): Uint8Array | undefined
}

export interface SessionOptions {
  clientId: string
  /** The client id was made up, not given by the user: a store's saved client id replaces it. */
  clientIdGenerated?: boolean
  /** Pinned protocol version. Unset: start at 5 and fall back to 4, then 3, on "unacceptable protocol version". */
  protocolVersion?: ProtocolVersion
  /** Clean Session / Clean Start for the first connection. Default true. */
  clean?: boolean
  /** Clean Start for reconnections (mqtt_as's `clean` vs `cleanInit`). Default: false when a session is kept. */
  cleanOnReconnect?: boolean
  /** Seconds. Default 60; 0 disables keepalive. */
  keepalive?: number
  /**
   * Milliseconds an expected answer (PINGRESP, PUBACK / PUBREC / PUBCOMP, SUBACK, UNSUBACK) may take while
   * nothing else arrives either; longer means the link is dead and the session asks to close (mqtt_as's
   * `response_time`). Default: half the ping interval, at most 30 s.
   */
  responseTimeout?: number
  /** Milliseconds: send PINGREQ after this much idleness even if the keepalive is longer (mqtt_as's `ping_interval`). */
  pingInterval?: number
  username?: string
  password?: Uint8Array
  will?: Will
  /** CONNECT properties (session expiry, receive maximum, maximum packet size, topic alias maximum, ...). */
  properties?: Properties
  /** MQTT 3.1 / 3.1.1: connect as a bridge (protocol level 0x83 / 0x84, Mosquitto's try_private). No effect on 5. */
  bridge?: boolean
  /** Outgoing QoS 1/2 messages in flight at once. Default 65,535 in MQTT 5, 20 in 3.1 / 3.1.1 (as Paho); always bounded by the server's Receive Maximum. */
  maxInflight?: number
  /** Outgoing messages waiting behind the in-flight window; 0 = unlimited. */
  maxQueued?: number
  /** Payload + topic bytes of the messages waiting behind the in-flight window; 0 = unlimited. */
  maxQueuedBytes?: number
  /**
   * What a publish does when the queue is full: 'reject' (default) throws ERR_QUEUE_FULL; 'drop-newest' fails
   * the new message with ERR_DROPPED; 'drop-oldest' fails the oldest never-sent queued message with ERR_DROPPED.
   */
  queueOverflow?: QueueOverflow
  /** Assign outgoing topic aliases automatically within the server's Topic Alias Maximum. Default true. */
  autoTopicAlias?: boolean
  /** The application acks incoming QoS 1/2 messages itself with `ack()`. Default false. */
  manualAck?: boolean
  authenticator?: Authenticator
  /** Where session state is mirrored so that it outlives the process (default: memory only). */
  store?: SessionStore
}

export type QueueOverflow = 'reject' | 'drop-oldest' | 'drop-newest'

/** Counters of the outgoing side, since the session was made. */
export interface SessionStats {
  /** Messages waiting to be written (offline queue and behind the in-flight window). */
  queued: number
  /** Their payload + topic bytes. */
  queuedBytes: number
  /** QoS 1/2 PUBLISHes written and not yet completed. */
  inflight: number
  /** PUBLISH packets written, re-sends included. */
  sent: number
  /** QoS 1/2 flows completed with a success code (PUBACK, PUBCOMP). */
  acked: number
  /** Messages failed with ERR_DROPPED by the queue's overflow policy. */
  dropped: number
}

export interface OutgoingMessage {
  topic: string
  payload: Uint8Array
  qos: QoS
  retain: boolean
  properties?: Properties
}

/** A message received from the server, as handed to the application: the PUBLISH's fields, topic resolved. */
export interface ReceivedMessage extends Omit<PublishPacket, 'type'> {
  /** The PUBLISH as decoded (topic already resolved from its alias). */
  packet: PublishPacket
}

/** A handle on a command, matched against its completion event. */
export type Token = number

export type SessionEvent =
  /** CONNACK accepted. The client resubscribes (when it keeps subscriptions) if `sessionPresent` is false. */
  | { type: 'connected'; connack: ConnackPacket; sessionPresent: boolean }
  /** CONNACK refused (or the connection failed before CONNACK); `error.reasonCode` holds the code. */
  | { type: 'connect-failed'; error: MqttError; connack?: ConnackPacket; fatal: boolean }
  /** The server refused the protocol version: reopen the transport and connect again with this version. */
  | { type: 'version-fallback'; protocolVersion: ProtocolVersion }
  | { type: 'message'; message: ReceivedMessage }
  /** A QoS 1/2 message queued without a packet id (all were in use) got this one as it entered the window. */
  | { type: 'publish-id'; token: Token; packetId: number }
  /** QoS 0: handed to the transport. QoS 1: PUBACK. QoS 2: PUBCOMP. */
  | { type: 'publish-done'; token: Token; packetId?: number; reasonCode?: number; properties?: Properties }
  | { type: 'publish-failed'; token: Token; packetId?: number; error: MqttError }
  | { type: 'subscribed'; token: Token; reasonCodes: number[]; properties?: Properties }
  | { type: 'unsubscribed'; token: Token; reasonCodes: number[]; properties?: Properties }
  /** A SUBSCRIBE / UNSUBSCRIBE that can no longer complete (connection closed with no session kept, close()). */
  | { type: 'request-failed'; token: Token; error: MqttError }
  /** The server sent DISCONNECT. */
  | { type: 'server-disconnect'; reasonCode: number; properties?: Properties }
  /** AUTH from the server (continue / re-authentication result). */
  | { type: 'auth'; reasonCode: number; properties?: Properties }
  /** PINGRESP arrived: the link is up (mqtt_as's up/down signals). */
  | { type: 'pong'; roundTripMs: number }
  /** The session wants the transport closed now (after flushing outgoing bytes). */
  | { type: 'close'; error?: MqttError }
  /** A protocol error, keepalive timeout or other failure, reported (the session also asks to close). */
  | { type: 'error'; error: MqttError }

/** What the I/O layer calls. Implemented by `Session` in session.ts. */
export interface SessionApi {
  readonly state: SessionState
  /** The protocol version in use (after any fallback). */
  readonly protocolVersion: ProtocolVersion
  /** The client identifier in use (the server may have assigned one). */
  readonly clientId: string

  /** A transport has just opened: queue CONNECT. */
  open(now: number): void
  receive(bytes: Uint8Array, now: number): void
  tick(now: number): void
  /** The transport closed (for any reason). In-flight state is kept for the next connection. */
  connectionLost(now: number, error?: MqttError): void

  /**
   * Validates (throws a typed MqttError synchronously for bad input or a full queue) and queues. `packetId`
   * is there for QoS 1/2 unless every id is in use; then a `publish-id` event tells it once assigned.
   */
  publish(message: OutgoingMessage, now: number): { token: Token; packetId?: number }
  subscribe(subscriptions: Subscription[], properties: Properties | undefined, now: number): Token
  unsubscribe(topics: string[], properties: Properties | undefined, now: number): Token
  /** Graceful: queue DISCONNECT (v5 reason code / properties, e.g. a new session expiry), then ask to close. */
  disconnect(now: number, options?: { reasonCode?: number; properties?: Properties }): void
  /** MQTT 5 re-authentication. */
  reauthenticate(now: number, properties?: Properties): void
  /** Manual ack of a received QoS 1/2 message (its PUBACK / PUBREC goes out, in the order the spec requires). */
  ack(message: ReceivedMessage, reasonCode?: number): void
  /** Fail everything pending with `error` (the client is closing for good). */
  abandon(error: MqttError): void

  /** Outgoing counters (queue, in flight, sent, acked, dropped). */
  stats(): SessionStats

  takeOutgoing(): Uint8Array[]
  takeEvents(): SessionEvent[]
  /** When `tick` is next due (ms, same clock as `now`), or undefined when nothing is scheduled. */
  nextDeadline(): number | undefined
}
