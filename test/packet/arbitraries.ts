// fast-check arbitraries for valid packets of every type and protocol version. Each generated packet is in
// the decoder's normal form (see the codec's normalisation rules), so decode(encode(p)) deep-equals p.
import fc from 'fast-check'
import { VALID_REASON_CODES } from '../../src/packet/reason-codes.js'
import type {
  Packet,
  PacketType,
  Properties,
  ProtocolVersion,
  QoS,
  Subscription,
  UserProperty,
  Will,
} from '../../src/packet/types.js'

export const PROTOCOL_VERSIONS: readonly ProtocolVersion[] = [3, 4, 5]

/** The packet types a protocol version has: AUTH is MQTT 5 only. */
export function packetTypesOf(version: ProtocolVersion): PacketType[] {
  const all: PacketType[] = [
    'connect',
    'connack',
    'publish',
    'puback',
    'pubrec',
    'pubrel',
    'pubcomp',
    'subscribe',
    'suback',
    'unsubscribe',
    'unsuback',
    'pingreq',
    'pingresp',
    'disconnect',
    'auth',
  ]
  return version === 5 ? all : all.filter((type) => type !== 'auth')
}

// Strings: mostly ASCII, sometimes any Unicode scalar value; never U+0000 [MQTT-1.5.4-2].
const noNul = (s: string) => s.replaceAll('\0', '')
const text = (maxLength = 8) =>
  fc
    .oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'binary-ascii', maxLength }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    )
    .map(noNul)

// A topic level holds no '/' and no wildcard.
const level = text(6).map((s) => s.replace(/[/+#]/g, ''))

export const topicName: fc.Arbitrary<string> = fc
  .array(level, { minLength: 1, maxLength: 4 })
  .map((levels) => levels.join('/'))
  .filter((topic) => topic.length > 0)

const filterLevels = fc
  .tuple(fc.array(fc.oneof({ weight: 3, arbitrary: level }, fc.constant('+')), { maxLength: 4 }), fc.boolean())
  .map(([levels, multi]) => (multi ? [...levels, '#'] : levels).join('/'))
  .filter((filter) => filter.length > 0) // [MQTT-4.7.3-1]

export const topicFilter: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: filterLevels },
  { weight: 1, arbitrary: fc.tuple(level, filterLevels).map(([share, filter]) => `$share/${share || 'g'}/${filter}`) },
)

const bytes = (maxLength = 16) => fc.uint8Array({ maxLength })
const u16 = fc.integer({ min: 0, max: 0xffff })
const u32 = fc.integer({ min: 0, max: 0xffffffff })
const packetId = fc.integer({ min: 1, max: 0xffff })
const qos = fc.constantFrom<QoS>(0, 1, 2)
const subscriptionId = fc.integer({ min: 1, max: 268_435_455 })
const userProperties: fc.Arbitrary<UserProperty[]> = fc.array(fc.tuple(text(), text()), { minLength: 1, maxLength: 3 })

// Every property with a valid value; each packet type picks the ones it allows (MQTT 5.0 section 2.2.2.2).
const PROPERTY_VALUES = {
  payloadFormatIndicator: fc.boolean(),
  messageExpiryInterval: u32,
  contentType: text(),
  responseTopic: topicName,
  correlationData: bytes(),
  subscriptionIdentifier: subscriptionId,
  sessionExpiryInterval: u32,
  assignedClientIdentifier: text(),
  serverKeepAlive: u16,
  authenticationMethod: text(),
  authenticationData: bytes(),
  requestProblemInformation: fc.boolean(),
  willDelayInterval: u32,
  requestResponseInformation: fc.boolean(),
  responseInformation: text(),
  serverReference: text(),
  reasonString: text(),
  receiveMaximum: fc.integer({ min: 1, max: 0xffff }),
  topicAliasMaximum: u16,
  topicAlias: fc.integer({ min: 1, max: 0xffff }),
  maximumQoS: fc.constantFrom<0 | 1>(0, 1),
  retainAvailable: fc.boolean(),
  userProperties,
  maximumPacketSize: fc.integer({ min: 1, max: 0xffffffff }),
  wildcardSubscriptionAvailable: fc.boolean(),
  subscriptionIdentifiersAvailable: fc.boolean(),
  sharedSubscriptionAvailable: fc.boolean(),
} satisfies { [K in keyof Properties]-?: fc.Arbitrary<unknown> }

type PropertyName = keyof typeof PROPERTY_VALUES

const ACK_PROPERTIES: PropertyName[] = ['reasonString', 'userProperties']

/** Which properties each packet type (and the will) may carry. */
export const ALLOWED_PROPERTIES: Record<PacketType | 'will', PropertyName[]> = {
  connect: [
    'sessionExpiryInterval',
    'authenticationMethod',
    'authenticationData',
    'requestProblemInformation',
    'requestResponseInformation',
    'receiveMaximum',
    'topicAliasMaximum',
    'userProperties',
    'maximumPacketSize',
  ],
  will: [
    'payloadFormatIndicator',
    'messageExpiryInterval',
    'contentType',
    'responseTopic',
    'correlationData',
    'willDelayInterval',
    'userProperties',
  ],
  connack: [
    'sessionExpiryInterval',
    'assignedClientIdentifier',
    'serverKeepAlive',
    'authenticationMethod',
    'authenticationData',
    'responseInformation',
    'serverReference',
    'reasonString',
    'receiveMaximum',
    'topicAliasMaximum',
    'maximumQoS',
    'retainAvailable',
    'userProperties',
    'maximumPacketSize',
    'wildcardSubscriptionAvailable',
    'subscriptionIdentifiersAvailable',
    'sharedSubscriptionAvailable',
  ],
  publish: [
    'payloadFormatIndicator',
    'messageExpiryInterval',
    'contentType',
    'responseTopic',
    'correlationData',
    'subscriptionIdentifier',
    'topicAlias',
    'userProperties',
  ],
  puback: ACK_PROPERTIES,
  pubrec: ACK_PROPERTIES,
  pubrel: ACK_PROPERTIES,
  pubcomp: ACK_PROPERTIES,
  subscribe: ['subscriptionIdentifier', 'userProperties'],
  suback: ACK_PROPERTIES,
  unsubscribe: ['userProperties'],
  unsuback: ACK_PROPERTIES,
  pingreq: [],
  pingresp: [],
  disconnect: ['sessionExpiryInterval', 'reasonString', 'serverReference', 'userProperties'],
  auth: ['authenticationMethod', 'authenticationData', 'reasonString', 'userProperties'],
}

/** Properties for `owner`, or undefined when none were drawn (the decoder omits empty properties). */
function propertiesFor(owner: PacketType | 'will'): fc.Arbitrary<Properties | undefined> {
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const name of ALLOWED_PROPERTIES[owner]) model[name] = PROPERTY_VALUES[name]
  if (owner === 'publish') {
    // PUBLISH from a server may carry several subscription identifiers; one decodes as a number.
    model.subscriptionIdentifier = fc.oneof(subscriptionId, fc.array(subscriptionId, { minLength: 2, maxLength: 3 }))
  }
  return fc.record(model, { requiredKeys: [], noNullPrototype: true }).map((props) => {
    const properties = props as Properties
    // Authentication Data without an Authentication Method is a Protocol Error (MQTT 5.0 section 3.1.2.11.10).
    if (properties.authenticationData && properties.authenticationMethod === undefined) {
      delete properties.authenticationData
    }
    return Object.keys(properties).length > 0 ? properties : undefined
  })
}

function withProperties<T extends object>(packet: T, properties: Properties | undefined): T {
  return properties === undefined ? packet : { ...packet, properties }
}

function reasonCodeOf(type: keyof typeof VALID_REASON_CODES): fc.Arbitrary<number> {
  return fc.constantFrom(...VALID_REASON_CODES[type])
}

function clientIdFor(version: ProtocolVersion, clean: boolean): fc.Arbitrary<string> {
  // MQTT 3.1 needs 1..23 characters; 3.1.1 allows an empty id only with Clean Session [MQTT-3.1.3-7].
  if (version === 3) return fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 23 }).map(noNul).filter(Boolean)
  if (version === 4 && !clean) return text(23).filter((id) => id.length > 0)
  return text(23)
}

function willFor(version: ProtocolVersion): fc.Arbitrary<Will> {
  return fc
    .record({
      topic: topicName,
      payload: bytes(),
      qos,
      retain: fc.boolean(),
      properties: version === 5 ? propertiesFor('will') : fc.constant(undefined),
    })
    .map(({ properties, ...will }) => withProperties(will, properties))
}

function connect(version: ProtocolVersion): fc.Arbitrary<Packet> {
  return fc
    .record({
      clean: fc.boolean(),
      keepalive: u16,
      username: fc.option(text(), { nil: undefined }),
      password: fc.option(bytes(), { nil: undefined }),
      will: fc.option(willFor(version), { nil: undefined }),
      properties: version === 5 ? propertiesFor('connect') : fc.constant(undefined),
    })
    .chain((fields) => clientIdFor(version, fields.clean).map((clientId) => ({ ...fields, clientId })))
    .map(({ username, password, will, properties, ...rest }) => {
      const packet: Packet = { type: 'connect', protocolVersion: version, ...rest }
      if (username !== undefined) packet.username = username
      // Before MQTT 5 a password needs a user name [MQTT-3.1.2-22].
      if (password !== undefined && (version === 5 || username !== undefined)) packet.password = password
      if (will !== undefined) packet.will = will
      return withProperties(packet, properties)
    })
}

function connack(version: ProtocolVersion): fc.Arbitrary<Packet> {
  const code = version === 5 ? reasonCodeOf('connack') : fc.integer({ min: 0, max: 5 })
  return fc
    .record({
      sessionPresent: version === 3 ? fc.constant(false) : fc.boolean(),
      reasonCode: code,
      properties: version === 5 ? propertiesFor('connack') : fc.constant(undefined),
    })
    .map(({ sessionPresent, reasonCode, properties }) =>
      // Session Present is 0 when the connection is refused [MQTT-3.2.2-4] / [MQTT-3.2.2-6].
      withProperties({ type: 'connack', sessionPresent: sessionPresent && reasonCode === 0, reasonCode }, properties),
    )
}

function publish(version: ProtocolVersion): fc.Arbitrary<Packet> {
  return fc
    .record({
      topic: topicName,
      payload: fc.oneof(
        bytes(64),
        text(32).map((s) => new TextEncoder().encode(s)),
      ),
      qos,
      retain: fc.boolean(),
      dup: fc.boolean(),
      packetId,
      properties: version === 5 ? propertiesFor('publish') : fc.constant(undefined),
    })
    .map(({ packetId: id, dup, properties, ...rest }) => {
      // DUP is 0 for QoS 0 [MQTT-3.3.1-2]; the packet id exists only for QoS > 0.
      const packet: Packet =
        rest.qos === 0 ? { type: 'publish', ...rest, dup: false } : { type: 'publish', ...rest, dup, packetId: id }
      return withProperties(packet, properties)
    })
}

function ack(type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', version: ProtocolVersion): fc.Arbitrary<Packet> {
  if (version !== 5) return packetId.map((id) => ({ type, packetId: id }) as Packet)
  return fc
    .record({ packetId, reasonCode: reasonCodeOf(type), properties: propertiesFor(type) })
    .map(({ properties, ...rest }) => withProperties({ type, ...rest } as Packet, properties))
}

function subscription(version: ProtocolVersion): fc.Arbitrary<Subscription> {
  if (version !== 5) return fc.record({ topic: topicFilter, qos }, { noNullPrototype: true })
  return fc
    .record({
      topic: topicFilter,
      qos,
      noLocal: fc.boolean(),
      retainAsPublished: fc.boolean(),
      retainHandling: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    })
    .map((sub) => ({ ...sub, noLocal: sub.noLocal && !sub.topic.startsWith('$share/') })) // [MQTT-3.8.3-4]
}

function subscribe(version: ProtocolVersion): fc.Arbitrary<Packet> {
  return fc
    .record({
      packetId,
      subscriptions: fc.array(subscription(version), { minLength: 1, maxLength: 4 }),
      properties: version === 5 ? propertiesFor('subscribe') : fc.constant(undefined),
    })
    .map(({ properties, ...rest }) => withProperties({ type: 'subscribe', ...rest } as Packet, properties))
}

function suback(version: ProtocolVersion): fc.Arbitrary<Packet> {
  const code = version === 5 ? reasonCodeOf('suback') : fc.constantFrom(0, 1, 2, 0x80)
  return fc
    .record({
      packetId,
      reasonCodes: fc.array(code, { minLength: 1, maxLength: 4 }),
      properties: version === 5 ? propertiesFor('suback') : fc.constant(undefined),
    })
    .map(({ properties, ...rest }) => withProperties({ type: 'suback', ...rest } as Packet, properties))
}

function unsubscribe(version: ProtocolVersion): fc.Arbitrary<Packet> {
  return fc
    .record({
      packetId,
      topics: fc.array(topicFilter, { minLength: 1, maxLength: 4 }),
      properties: version === 5 ? propertiesFor('unsubscribe') : fc.constant(undefined),
    })
    .map(({ properties, ...rest }) => withProperties({ type: 'unsubscribe', ...rest } as Packet, properties))
}

function unsuback(version: ProtocolVersion): fc.Arbitrary<Packet> {
  if (version !== 5) return packetId.map((id) => ({ type: 'unsuback', packetId: id, reasonCodes: [] }) as Packet)
  return fc
    .record({
      packetId,
      reasonCodes: fc.array(reasonCodeOf('unsuback'), { minLength: 1, maxLength: 4 }),
      properties: propertiesFor('unsuback'),
    })
    .map(({ properties, ...rest }) => withProperties({ type: 'unsuback', ...rest } as Packet, properties))
}

function withReasonCode(type: 'disconnect' | 'auth', version: ProtocolVersion): fc.Arbitrary<Packet> {
  if (version !== 5) return fc.constant({ type } as Packet)
  return fc
    .record({ reasonCode: reasonCodeOf(type), properties: propertiesFor(type) })
    .map(({ properties, reasonCode }) => withProperties({ type, reasonCode } as Packet, properties))
}

/** Valid packets of `type` in their decoded normal form for `version`. */
export function packetArbitrary(type: PacketType, version: ProtocolVersion): fc.Arbitrary<Packet> {
  switch (type) {
    case 'connect':
      return connect(version)
    case 'connack':
      return connack(version)
    case 'publish':
      return publish(version)
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return ack(type, version)
    case 'subscribe':
      return subscribe(version)
    case 'suback':
      return suback(version)
    case 'unsubscribe':
      return unsubscribe(version)
    case 'unsuback':
      return unsuback(version)
    case 'pingreq':
    case 'pingresp':
      return fc.constant({ type } as Packet)
    case 'disconnect':
    case 'auth':
      return withReasonCode(type, version)
  }
}
