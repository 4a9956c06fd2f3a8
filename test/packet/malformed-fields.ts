// Malformed frames that break a field: UTF-8, topic names and filters, QoS, packet identifiers, CONNECT and
// CONNACK flags, subscription options, reason codes.
import type { CodecErrorCode } from '../../src/packet/errors.js'
import { VALID_REASON_CODES } from '../../src/packet/reason-codes.js'
import { BAD_UTF8, type Bytes, frame, lp, NO_PROPS, PROPERTY_SAMPLES, props, str, u16 } from './malformed-bytes.js'
import { type MalformedCase, malformed } from './malformed-case.js'

const corpus: MalformedCase[] = []
const add = (version: 4 | 5, name: string, bytes: Bytes, code: CodecErrorCode) =>
  corpus.push(malformed(version, name, bytes, code))

const VERSIONS = [4, 5] as const
/** The property section of a version: absent before MQTT 5. */
const p = (version: 4 | 5, section: Bytes = NO_PROPS): Bytes => (version === 5 ? section : [])

const connect = (version: 4 | 5, flags: number, payload: Bytes, head: Bytes = [...str('MQTT'), version]) =>
  frame(0x10, [...head, flags, ...u16(60), ...p(version), ...payload])
const willProps = (version: 4 | 5) => p(version)

// --- UTF-8 in every kind of string field -------------------------------------------------------------------

/** Frames with one UTF-8 String field given as raw (length-prefixed) bytes. */
const STRING_FIELDS: Record<string, (version: 4 | 5, s: Bytes) => Bytes> = {
  'publish topic': (v, s) => frame(0x30, [...s, ...p(v), 0x68]),
  'connect client id': (v, s) => connect(v, 0x02, s),
  'connect user name': (v, s) => connect(v, 0x82, [...str('c'), ...s]),
  'will topic': (v, s) => connect(v, 0x06, [...str('c'), ...willProps(v), ...s, ...lp([])]),
  'subscribe filter': (v, s) => frame(0x82, [...u16(1), ...p(v), ...s, 0x00]),
  'unsubscribe filter': (v, s) => frame(0xa2, [...u16(1), ...p(v), ...s]),
}
const V5_STRING_PROPERTIES: Record<string, (s: Bytes) => Bytes> = {
  'publish content type': (s) => frame(0x30, [...str('a'), ...props([0x03, ...s])]),
  'publish response topic': (s) => frame(0x30, [...str('a'), ...props([0x08, ...s])]),
  'puback reason string': (s) => frame(0x40, [...u16(1), 0x00, ...props([0x1f, ...s])]),
  'disconnect user property name': (s) => frame(0xe0, [0x00, ...props([0x26, ...s, ...str('v')])]),
  'disconnect user property value': (s) => frame(0xe0, [0x00, ...props([0x26, ...str('k'), ...s])]),
  'auth authentication method': (s) => frame(0xf0, [0x18, ...props([0x15, ...s])]),
  'connack assigned client id': (s) => frame(0x20, [0x00, 0x00, ...props([0x12, ...s])]),
}

for (const [variant, bad] of Object.entries(BAD_UTF8)) {
  for (const version of VERSIONS) {
    for (const [field, build] of Object.entries(STRING_FIELDS)) {
      add(version, `${field}: ${variant}`, build(version, lp(bad)), 'ERR_UTF8')
    }
  }
  for (const [field, build] of Object.entries(V5_STRING_PROPERTIES))
    add(5, `${field}: ${variant}`, build(lp(bad)), 'ERR_UTF8')
}

// --- Topic names and filters -------------------------------------------------------------------------------

for (const version of VERSIONS) {
  for (const topic of ['a/+', '+', '#', 'a/#', 'a+b', 'a/b#']) {
    add(version, `publish topic ${topic}`, STRING_FIELDS['publish topic']!(version, str(topic)), 'ERR_TOPIC_NAME') // [MQTT-3.3.2-2]
    add(version, `will topic ${topic}`, STRING_FIELDS['will topic']!(version, str(topic)), 'ERR_TOPIC_NAME')
  }
  add(version, 'publish with an empty topic', STRING_FIELDS['publish topic']!(version, str('')), 'ERR_TOPIC_NAME') // [MQTT-4.7.3-1]
  add(version, 'will with an empty topic', STRING_FIELDS['will topic']!(version, str('')), 'ERR_TOPIC_NAME')
  for (const filter of ['', 'a#', 'a/#/b', '#/', 'a+', 'a/+b', '++', '$share/g', '$share//a', '$share/+/a']) {
    add(
      version,
      `subscribe filter ${JSON.stringify(filter)}`,
      STRING_FIELDS['subscribe filter']!(version, str(filter)),
      'ERR_TOPIC_FILTER',
    )
    add(
      version,
      `unsubscribe filter ${JSON.stringify(filter)}`,
      STRING_FIELDS['unsubscribe filter']!(version, str(filter)),
      'ERR_TOPIC_FILTER',
    )
  }
}

// --- QoS, packet identifiers, empty lists ------------------------------------------------------------------

for (const version of VERSIONS) {
  add(version, 'subscribe requesting QoS 3', frame(0x82, [...u16(1), ...p(version), ...str('a'), 0x03]), 'ERR_QOS')
  add(
    version,
    'will QoS 3',
    connect(version, 0x1e, [...str('c'), ...willProps(version), ...str('w'), ...lp([])]),
    'ERR_QOS',
  ) // [MQTT-3.1.2-14]
  const zero = u16(0)
  add(version, 'publish QoS 1 with packet id 0', frame(0x32, [...str('a'), ...zero, ...p(version)]), 'ERR_PACKET_ID')
  add(version, 'publish QoS 2 with packet id 0', frame(0x34, [...str('a'), ...zero, ...p(version)]), 'ERR_PACKET_ID')
  for (const [type, first] of [
    ['puback', 0x40],
    ['pubrec', 0x50],
    ['pubrel', 0x62],
    ['pubcomp', 0x70],
  ] as const) {
    add(version, `${type} with packet id 0`, frame(first, zero), 'ERR_PACKET_ID')
  }
  add(version, 'subscribe with packet id 0', frame(0x82, [...zero, ...p(version), ...str('a'), 0x00]), 'ERR_PACKET_ID')
  add(version, 'unsubscribe with packet id 0', frame(0xa2, [...zero, ...p(version), ...str('a')]), 'ERR_PACKET_ID')
  add(version, 'suback with packet id 0', frame(0x90, [...zero, ...p(version), 0x00]), 'ERR_PACKET_ID')
  add(
    version,
    'unsuback with packet id 0',
    frame(0xb0, [...zero, ...p(version), ...(version === 5 ? [0] : [])]),
    'ERR_PACKET_ID',
  )
  add(version, 'subscribe without subscriptions', frame(0x82, [...u16(1), ...p(version)]), 'ERR_EMPTY_LIST') // [MQTT-3.8.3-3]
  add(version, 'unsubscribe without filters', frame(0xa2, [...u16(1), ...p(version)]), 'ERR_EMPTY_LIST') // [MQTT-3.10.3-2]
  add(version, 'suback without return codes', frame(0x90, [...u16(1), ...p(version)]), 'ERR_EMPTY_LIST')
}

// --- CONNECT and CONNACK -----------------------------------------------------------------------------------

for (const version of VERSIONS) {
  const payload = str('c')
  add(
    version,
    'connect protocol name MQTX',
    connect(version, 0x02, payload, [...str('MQTX'), version]),
    'ERR_PROTOCOL_NAME',
  )
  add(
    version,
    'connect protocol name mqtt',
    connect(version, 0x02, payload, [...str('mqtt'), version]),
    'ERR_PROTOCOL_NAME',
  )
  add(
    version,
    'connect protocol name MQIsdp with this level',
    connect(version, 0x02, payload, [...str('MQIsdp'), version]),
    'ERR_PROTOCOL_NAME',
  )
  add(
    version,
    'connect empty protocol name',
    connect(version, 0x02, payload, [...str(''), version]),
    'ERR_PROTOCOL_NAME',
  )
  add(version, 'connect reserved flag bit 0', connect(version, 0x03, payload), 'ERR_CONNECT_FLAGS') // [MQTT-3.1.2-3]
  add(version, 'connect will QoS without will flag', connect(version, 0x0a, payload), 'ERR_CONNECT_FLAGS') // [MQTT-3.1.2-13]
  add(version, 'connect will retain without will flag', connect(version, 0x22, payload), 'ERR_CONNECT_FLAGS') // [MQTT-3.1.2-15]
  add(version, 'connack reserved flag bits', frame(0x20, [0x02, 0x00, ...p(version)]), 'ERR_CONNACK_FLAGS') // [MQTT-3.2.2-1]
  add(version, 'connack all flag bits', frame(0x20, [0xff, 0x00, ...p(version)]), 'ERR_CONNACK_FLAGS')
}
for (const level of [0, 1, 2, 6, 7, 0x83, 0xff]) {
  add(4, `connect protocol level ${level}`, connect(4, 0x02, str('c'), [...str('MQTT'), level]), 'ERR_PROTOCOL_VERSION')
}
add(4, 'connect password without user name', connect(4, 0x42, [...str('c'), ...lp([1])]), 'ERR_CONNECT_FLAGS') // [MQTT-3.1.2-22]

// --- Subscription options ----------------------------------------------------------------------------------

for (const options of [0x04, 0x08, 0x10, 0x40, 0x80, 0xfd]) {
  const bits = options.toString(2).padStart(8, '0')
  add(4, `subscribe reserved bits ${bits}`, frame(0x82, [...u16(1), ...str('a'), options]), 'ERR_SUBSCRIPTION_OPTIONS') // [MQTT-3.8.3-4]
}
for (const options of [0x40, 0x80, 0xc0, 0x30, 0x31, 0x3e]) {
  const bits = options.toString(2).padStart(8, '0')
  // Reserved bits make the packet malformed [MQTT-3.8.3-5]; Retain Handling 3 is a Protocol Error.
  const errorClass = options & 0xc0 ? 'MalformedPacketError' : 'ProtocolError'
  const bytes = frame(0x82, [...u16(1), 0x00, ...str('a'), options])
  corpus.push(malformed(5, `subscribe options ${bits}`, bytes, 'ERR_SUBSCRIPTION_OPTIONS', { errorClass }))
}

// --- Reason codes ------------------------------------------------------------------------------------------

const V5_REASON_CODE_FRAMES: Record<keyof typeof VALID_REASON_CODES, (code: number) => Bytes> = {
  connack: (code) => frame(0x20, [0x00, code, ...NO_PROPS]),
  puback: (code) => frame(0x40, [...u16(1), code]),
  pubrec: (code) => frame(0x50, [...u16(1), code]),
  pubrel: (code) => frame(0x62, [...u16(1), code]),
  pubcomp: (code) => frame(0x70, [...u16(1), code]),
  suback: (code) => frame(0x90, [...u16(1), ...NO_PROPS, 0x00, code]),
  unsuback: (code) => frame(0xb0, [...u16(1), ...NO_PROPS, 0x00, code]),
  disconnect: (code) => frame(0xe0, [code]),
  auth: (code) => frame(0xf0, [code, ...props(PROPERTY_SAMPLES.get(0x15)!)]),
}
const CANDIDATE_CODES = [
  ...new Set([...Object.values(VALID_REASON_CODES).flatMap((codes) => [...codes]), 0x03, 0x05, 0x7f, 0xa3, 0xff]),
]
for (const [type, build] of Object.entries(V5_REASON_CODE_FRAMES)) {
  const valid = VALID_REASON_CODES[type as keyof typeof VALID_REASON_CODES]
  for (const code of CANDIDATE_CODES) {
    if (!valid.has(code))
      add(5, `${type} reason code 0x${code.toString(16).padStart(2, '0')}`, build(code), 'ERR_REASON_CODE')
  }
}
for (const code of [0x03, 0x04, 0x7f, 0x81, 0xff]) {
  add(4, `suback return code 0x${code.toString(16)}`, frame(0x90, [...u16(1), code]), 'ERR_REASON_CODE') // [MQTT-3.9.3-2]
}

export const FIELD_CASES: readonly MalformedCase[] = corpus
