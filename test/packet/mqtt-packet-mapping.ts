// Maps Petrel packets to mqtt-packet's objects and back, for the differential test. mqtt-packet names
// things its own way (cmd, messageId, returnCode, granted, unsubscriptions, nl/rap/rh), uses Buffers, and
// keeps User Properties as an object keyed by name (so only the order within one name survives).
import type * as mqttPacket from 'mqtt-packet'
import type {
  ConnectPacket,
  Packet,
  Properties,
  ProtocolVersion,
  PublishPacket,
  QoS,
  Subscription,
  UserProperty,
} from '../../src/packet/types.js'

type MqttObject = Record<string, unknown>
type MqttProperties = Record<string, unknown>

/** The fields of mqtt-packet's parsed objects that the mapping reads (each present for its packet types). */
export interface ParsedMqttPacket {
  cmd: mqttPacket.PacketCmd
  messageId: number
  protocolVersion: ProtocolVersion
  clientId: string
  clean: boolean
  keepalive: number
  username?: string
  password?: Buffer
  will?: { topic: string; payload: Buffer; qos: QoS; retain: boolean; properties?: MqttProperties }
  sessionPresent: boolean
  reasonCode?: number
  returnCode: number
  topic: string
  payload: Buffer
  qos: QoS
  retain: boolean
  dup: boolean
  subscriptions: { topic: string; qos: QoS; nl: boolean; rap: boolean; rh: 0 | 1 | 2 }[]
  granted: number[]
  unsubscriptions: string[]
  properties?: MqttProperties
}

const BINARY_PROPERTIES = new Set(['correlationData', 'authenticationData'])

function propertiesToMqtt(properties: Properties): MqttProperties {
  const out: MqttProperties = {}
  for (const [name, value] of Object.entries(properties)) {
    if (name === 'userProperties') {
      const grouped: Record<string, string | string[]> = Object.create(null)
      for (const [key, item] of value as UserProperty[]) {
        const previous = grouped[key]
        grouped[key] = previous === undefined ? item : [...(Array.isArray(previous) ? previous : [previous]), item]
      }
      out.userProperties = grouped
    } else {
      out[name] = BINARY_PROPERTIES.has(name) ? Buffer.from(value as Uint8Array) : value
    }
  }
  return out
}

function propertiesFromMqtt(properties: MqttProperties): Properties {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(properties)) {
    if (name === 'userProperties') {
      const pairs: UserProperty[] = []
      for (const [key, item] of Object.entries(value as Record<string, string | string[]>)) {
        for (const one of Array.isArray(item) ? item : [item]) pairs.push([key, one])
      }
      out.userProperties = pairs
    } else {
      out[name] = value instanceof Uint8Array ? new Uint8Array(value) : value
    }
  }
  return canonicalProperties(out as Properties)
}

/** User Properties grouped by name (stable), the only order mqtt-packet's object form can keep. */
function canonicalProperties(properties: Properties): Properties {
  if (!properties.userProperties) return properties
  const userProperties = [...properties.userProperties].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { ...properties, userProperties }
}

/** `packet` with its User Properties (also the will's) in the canonical order, for comparisons. */
export function canonical(packet: Packet): Packet {
  const out = { ...packet } as Packet & { properties?: Properties }
  if (out.properties) out.properties = canonicalProperties(out.properties)
  if (out.type === 'connect' && out.will?.properties) {
    out.will = { ...out.will, properties: canonicalProperties(out.will.properties) }
  }
  return out
}

const withMqttProperties = (object: MqttObject, properties: Properties | undefined): MqttObject =>
  properties ? { ...object, properties: propertiesToMqtt(properties) } : object

export function toMqttPacket(packet: Packet, version: ProtocolVersion): mqttPacket.Packet {
  const { properties } = packet as { properties?: Properties }
  let object: MqttObject
  switch (packet.type) {
    case 'connect': {
      const { type, will, password, properties: _, ...rest } = packet
      object = { cmd: 'connect', ...rest, protocolId: version === 3 ? 'MQIsdp' : 'MQTT' }
      if (password) object.password = Buffer.from(password)
      if (will) {
        const { payload, properties: willProperties, ...willRest } = will
        object.will = withMqttProperties({ ...willRest, payload: Buffer.from(payload) }, willProperties)
      }
      break
    }
    case 'connack':
      object = { cmd: 'connack', sessionPresent: packet.sessionPresent }
      object[version === 5 ? 'reasonCode' : 'returnCode'] = packet.reasonCode
      break
    case 'publish': {
      const { type, packetId, payload, properties: _, ...rest } = packet
      object = { cmd: 'publish', ...rest, payload: Buffer.from(payload), messageId: packetId }
      break
    }
    case 'subscribe':
      object = {
        cmd: 'subscribe',
        messageId: packet.packetId,
        subscriptions: packet.subscriptions.map((s) =>
          version === 5
            ? { topic: s.topic, qos: s.qos, nl: s.noLocal, rap: s.retainAsPublished, rh: s.retainHandling }
            : { topic: s.topic, qos: s.qos },
        ),
      }
      break
    case 'suback':
    case 'unsuback':
      object = { cmd: packet.type, messageId: packet.packetId, granted: packet.reasonCodes }
      break
    case 'unsubscribe':
      object = { cmd: 'unsubscribe', messageId: packet.packetId, unsubscriptions: packet.topics }
      break
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      object = { cmd: packet.type, messageId: packet.packetId, reasonCode: packet.reasonCode }
      break
    case 'disconnect':
    case 'auth':
      object = { cmd: packet.type, reasonCode: packet.reasonCode }
      break
    default:
      object = { cmd: packet.type }
  }
  return withMqttProperties(object, properties) as unknown as mqttPacket.Packet
}

function withProperties<T extends object>(packet: T, properties: unknown): T {
  return properties ? { ...packet, properties: propertiesFromMqtt(properties as MqttProperties) } : packet
}

/** mqtt-packet's parsed object in Petrel's normal form (see the codec's normalisation rules). */
export function fromMqttPacket(o: ParsedMqttPacket, version: ProtocolVersion): Packet {
  const v5 = version === 5
  const packetId = o.messageId
  let packet: Packet
  switch (o.cmd) {
    case 'connect': {
      const { protocolVersion, clientId, clean, keepalive } = o
      const connect: ConnectPacket = { type: 'connect', protocolVersion, clientId, clean, keepalive }
      if (o.username !== undefined) connect.username = o.username
      if (o.password !== undefined) connect.password = new Uint8Array(o.password)
      if (o.will) {
        const { topic, payload, qos, retain, properties } = o.will
        connect.will = withProperties({ topic, payload: new Uint8Array(payload), qos, retain }, properties)
      }
      packet = connect
      break
    }
    case 'connack':
      packet = { type: 'connack', sessionPresent: o.sessionPresent, reasonCode: v5 ? o.reasonCode! : o.returnCode }
      break
    case 'publish': {
      const { topic, qos, retain, dup } = o
      const publish: PublishPacket = { type: 'publish', topic, payload: new Uint8Array(o.payload), qos, retain, dup }
      if (qos > 0) publish.packetId = packetId
      packet = publish
      break
    }
    case 'subscribe': {
      const subscriptions = o.subscriptions.map(
        (s): Subscription =>
          v5
            ? { topic: s.topic, qos: s.qos, noLocal: s.nl, retainAsPublished: s.rap, retainHandling: s.rh }
            : { topic: s.topic, qos: s.qos },
      )
      packet = { type: 'subscribe', packetId, subscriptions }
      break
    }
    case 'suback':
      packet = { type: 'suback', packetId, reasonCodes: o.granted }
      break
    case 'unsuback':
      packet = { type: 'unsuback', packetId, reasonCodes: v5 ? o.granted : [] }
      break
    case 'unsubscribe':
      packet = { type: 'unsubscribe', packetId, topics: o.unsubscriptions }
      break
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      packet = v5 ? { type: o.cmd, packetId, reasonCode: o.reasonCode ?? 0 } : { type: o.cmd, packetId }
      break
    case 'disconnect':
    case 'auth':
      packet = v5 ? { type: o.cmd, reasonCode: o.reasonCode ?? 0 } : { type: o.cmd }
      break
    default:
      packet = { type: o.cmd }
  }
  return withProperties(packet, v5 ? o.properties : undefined)
}
