// The packet model shared by the codec, the session and the client. Plain data only: every packet is a
// discriminated union member keyed by `type`, payloads are Uint8Array, and nothing here touches Node APIs.

/** MQTT protocol level: 3 = MQTT 3.1 (MQIsdp), 4 = MQTT 3.1.1, 5 = MQTT 5.0. */
export type ProtocolVersion = 3 | 4 | 5

export type QoS = 0 | 1 | 2

/** A User Property: MQTT 5 allows the same name more than once, so these stay an ordered list of pairs. */
export type UserProperty = [name: string, value: string]

/** MQTT 5 properties (all 27 identifiers). Which may appear where is in `properties.ts`. */
export interface Properties {
  /** 0x01: true = the payload is UTF-8 text. */
  payloadFormatIndicator?: boolean
  /** 0x02: seconds. */
  messageExpiryInterval?: number
  /** 0x03 */
  contentType?: string
  /** 0x08 */
  responseTopic?: string
  /** 0x09 */
  correlationData?: Uint8Array
  /** 0x0B: one in SUBSCRIBE; PUBLISH from a server may carry several (decoded as an array when > 1). */
  subscriptionIdentifier?: number | number[]
  /** 0x11: seconds. */
  sessionExpiryInterval?: number
  /** 0x12 */
  assignedClientIdentifier?: string
  /** 0x13: seconds. */
  serverKeepAlive?: number
  /** 0x15 */
  authenticationMethod?: string
  /** 0x16 */
  authenticationData?: Uint8Array
  /** 0x17 */
  requestProblemInformation?: boolean
  /** 0x18: seconds. */
  willDelayInterval?: number
  /** 0x19 */
  requestResponseInformation?: boolean
  /** 0x1A */
  responseInformation?: string
  /** 0x1C */
  serverReference?: string
  /** 0x1F */
  reasonString?: string
  /** 0x21 */
  receiveMaximum?: number
  /** 0x22 */
  topicAliasMaximum?: number
  /** 0x23 */
  topicAlias?: number
  /** 0x24 */
  maximumQoS?: 0 | 1
  /** 0x25 */
  retainAvailable?: boolean
  /** 0x26: ordered, may repeat. */
  userProperties?: UserProperty[]
  /** 0x27: bytes. */
  maximumPacketSize?: number
  /** 0x28 */
  wildcardSubscriptionAvailable?: boolean
  /** 0x29 */
  subscriptionIdentifiersAvailable?: boolean
  /** 0x2A */
  sharedSubscriptionAvailable?: boolean
}

export interface Will {
  topic: string
  payload: Uint8Array
  qos: QoS
  retain: boolean
  /** MQTT 5 will properties (will delay, message expiry, content type, ...). */
  properties?: Properties
}

export interface ConnectPacket {
  type: 'connect'
  protocolVersion: ProtocolVersion
  clientId: string
  /** Clean Session (3.1 / 3.1.1) or Clean Start (5.0). */
  clean: boolean
  /** Seconds; 0 disables keepalive. */
  keepalive: number
  /**
   * MQTT 3.1 / 3.1.1 bridge mode: the top bit of the protocol level (0x83 / 0x84), a Mosquitto / RSMB
   * extension (Paho's enable_bridge_mode): the server does not echo the client's own messages and keeps
   * their retain flag. Not for MQTT 5, which has No Local and Retain As Published per subscription.
   */
  bridge?: boolean
  username?: string
  password?: Uint8Array
  will?: Will
  properties?: Properties
}

export interface ConnackPacket {
  type: 'connack'
  sessionPresent: boolean
  /** The MQTT 5 reason code, or the 3.1/3.1.1 return code (0..5). */
  reasonCode: number
  properties?: Properties
}

export interface PublishPacket {
  type: 'publish'
  topic: string
  payload: Uint8Array
  qos: QoS
  retain: boolean
  dup: boolean
  /** Present exactly when qos > 0. */
  packetId?: number
  properties?: Properties
}

/** PUBACK, PUBREC, PUBREL and PUBCOMP share one shape. */
export interface AckPacket<T extends 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'> {
  type: T
  packetId: number
  /** MQTT 5 only; decoded as 0 when the packet omits it. */
  reasonCode?: number
  properties?: Properties
}
export type PubackPacket = AckPacket<'puback'>
export type PubrecPacket = AckPacket<'pubrec'>
export type PubrelPacket = AckPacket<'pubrel'>
export type PubcompPacket = AckPacket<'pubcomp'>

export interface Subscription {
  topic: string
  qos: QoS
  /** MQTT 5 subscription options. */
  noLocal?: boolean
  retainAsPublished?: boolean
  retainHandling?: 0 | 1 | 2
}

export interface SubscribePacket {
  type: 'subscribe'
  packetId: number
  subscriptions: Subscription[]
  properties?: Properties
}

export interface SubackPacket {
  type: 'suback'
  packetId: number
  /** One per requested filter: the granted QoS, or a failure code (>= 0x80). */
  reasonCodes: number[]
  properties?: Properties
}

export interface UnsubscribePacket {
  type: 'unsubscribe'
  packetId: number
  topics: string[]
  properties?: Properties
}

export interface UnsubackPacket {
  type: 'unsuback'
  packetId: number
  /** One per filter in MQTT 5; empty for 3.1 / 3.1.1, which carry none. */
  reasonCodes: number[]
  properties?: Properties
}

export interface PingreqPacket {
  type: 'pingreq'
}

export interface PingrespPacket {
  type: 'pingresp'
}

export interface DisconnectPacket {
  type: 'disconnect'
  /** MQTT 5 only; decoded as 0 when the packet omits it. */
  reasonCode?: number
  properties?: Properties
}

export interface AuthPacket {
  type: 'auth'
  /** Decoded as 0 when the packet omits it. */
  reasonCode?: number
  properties?: Properties
}

export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | PubackPacket
  | PubrecPacket
  | PubrelPacket
  | PubcompPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket
  | AuthPacket

export type PacketType = Packet['type']

/** The 4-bit packet type numbers of the fixed header. */
export const PACKET_TYPE_NUMBER: Readonly<Record<PacketType, number>> = {
  connect: 1,
  connack: 2,
  publish: 3,
  puback: 4,
  pubrec: 5,
  pubrel: 6,
  pubcomp: 7,
  subscribe: 8,
  suback: 9,
  unsubscribe: 10,
  unsuback: 11,
  pingreq: 12,
  pingresp: 13,
  disconnect: 14,
  auth: 15,
}
