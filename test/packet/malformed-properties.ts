// Malformed MQTT 5 property sections: properties in packets that do not allow them, unknown identifiers,
// repeated single-valued properties, lengths that overrun, over-long Variable Byte Integers, bad values.
import type { CodecErrorCode } from '../../src/packet/errors.js'
import {
  type Bytes,
  frame,
  PROPERTY_OWNERS,
  PROPERTY_SAMPLES,
  props,
  str,
  u16,
  u32,
  V5_WITH_PROPS,
} from './malformed-bytes.js'
import { type MalformedCase, malformed } from './malformed-case.js'

const corpus: MalformedCase[] = []
const add = (name: string, bytes: Bytes, code: CodecErrorCode) => corpus.push(malformed(5, name, bytes, code))
const hex2 = (n: number) => `0x${n.toString(16).padStart(2, '0')}`
const AUTH_METHOD = PROPERTY_SAMPLES.get(0x15)!

// Every property in every owner that does not allow it (MQTT 5.0 section 2.2.2.2).
for (const [id, sample] of PROPERTY_SAMPLES) {
  const owners = PROPERTY_OWNERS.get(id)!
  for (const [owner, build] of Object.entries(V5_WITH_PROPS)) {
    if (!owners.includes(owner))
      add(`property ${hex2(id)} in ${owner}`, build(props(sample)), 'ERR_PROPERTY_NOT_ALLOWED')
  }
}

// Identifiers MQTT 5 does not define.
for (const id of [0x00, 0x04, 0x05, 0x0a, 0x0c, 0x10, 0x14, 0x1b, 0x1d, 0x1e, 0x20, 0x2b, 0x7f]) {
  add(`unknown property ${hex2(id)} in puback`, V5_WITH_PROPS.puback!(props([id, 0x00])), 'ERR_PROPERTY_ID')
  add(`unknown property ${hex2(id)} in connect`, V5_WITH_PROPS.connect!(props([id, 0x00])), 'ERR_PROPERTY_ID')
}

// Every single-valued property twice, in each owner that allows it once. User Property may repeat, and so
// may Subscription Identifier in PUBLISH.
for (const [id, sample] of PROPERTY_SAMPLES) {
  if (id === 0x26) continue
  for (const owner of PROPERTY_OWNERS.get(id)!) {
    if (id === 0x0b && owner === 'publish') continue
    const companion = id === 0x16 ? [AUTH_METHOD] : [] // Authentication Data needs an Authentication Method
    const section = props(...companion, sample, sample)
    add(`property ${hex2(id)} twice in ${owner}`, V5_WITH_PROPS[owner]!(section), 'ERR_PROPERTY_DUPLICATE')
  }
}

// Property lengths that overrun the packet, and properties that overrun the property length.
const USER = PROPERTY_SAMPLES.get(0x26)!
for (const owner of ['connack', 'publish', 'puback', 'subscribe', 'suback', 'unsubscribe', 'disconnect', 'auth']) {
  const build = V5_WITH_PROPS[owner]!
  const valid = build(props(USER))
  const empty = build(props())
  // The property length byte is the first body byte where the two frames differ.
  const lengthAt = valid.findIndex((byte, i) => i >= 2 && byte !== empty[i])
  const over = [...valid]
  over[lengthAt] = 0x7f
  add(`${owner} property length beyond the packet`, over, 'ERR_PROPERTY_LENGTH')
  const short = [...valid]
  short[lengthAt] = USER.length - 1
  add(`${owner} User Property overruns the property length`, short, 'ERR_PROPERTY_LENGTH')
}
const FOUR_BYTE = PROPERTY_SAMPLES.get(0x11)!
add(
  'connect Session Expiry Interval cut by the property length',
  V5_WITH_PROPS.connect!([3, ...FOUR_BYTE.slice(0, 3), ...FOUR_BYTE.slice(3)]),
  'ERR_PROPERTY_LENGTH',
)

// Variable Byte Integers longer than 4 bytes, or not minimal [MQTT-1.5.5-1].
const LONG_VARINT = [0x80, 0x80, 0x80, 0x80, 0x01]
add('puback property length of 5 bytes', frame(0x40, [...u16(1), 0x00, ...LONG_VARINT]), 'ERR_VARINT')
add('disconnect property length of 5 bytes', frame(0xe0, [0x00, 0xff, 0xff, 0xff, 0xff, 0x7f]), 'ERR_VARINT')
add(
  'subscribe subscription identifier of 5 bytes',
  V5_WITH_PROPS.subscribe!(props([0x0b, ...LONG_VARINT])),
  'ERR_VARINT',
)
add('publish subscription identifier of 5 bytes', V5_WITH_PROPS.publish!(props([0x0b, ...LONG_VARINT])), 'ERR_VARINT')
add('publish subscription identifier 1 in 2 bytes', V5_WITH_PROPS.publish!(props([0x0b, 0x81, 0x00])), 'ERR_VARINT')
add('puback property length 0 in 2 bytes', frame(0x40, [...u16(1), 0x00, 0x80, 0x00]), 'ERR_VARINT')

// Values out of range.
const BAD_VALUES: [name: string, owner: string, property: Bytes][] = [
  ['Subscription Identifier 0 in subscribe', 'subscribe', [0x0b, 0x00]], // [MQTT-3.8.2.1.2]
  ['Subscription Identifier 0 in publish', 'publish', [0x0b, 0x00]], // [MQTT-3.3.4-6] range 1..268,435,455
  ['Receive Maximum 0 in connect', 'connect', [0x21, ...u16(0)]],
  ['Receive Maximum 0 in connack', 'connack', [0x21, ...u16(0)]],
  ['Maximum Packet Size 0 in connect', 'connect', [0x27, ...u32(0)]],
  ['Maximum Packet Size 0 in connack', 'connack', [0x27, ...u32(0)]],
  ['Topic Alias 0', 'publish', [0x23, ...u16(0)]], // [MQTT-3.3.2-8]
  ['Maximum QoS 2', 'connack', [0x24, 0x02]],
  ['Payload Format Indicator 2', 'publish', [0x01, 0x02]],
  ['Payload Format Indicator 2 in will', 'will', [0x01, 0x02]],
  ['Request Problem Information 2', 'connect', [0x17, 0x02]],
  ['Request Response Information 2', 'connect', [0x19, 0x02]],
  ['Retain Available 2', 'connack', [0x25, 0x02]],
  ['Wildcard Subscription Available 2', 'connack', [0x28, 0x02]],
  ['Subscription Identifiers Available 2', 'connack', [0x29, 0x02]],
  ['Shared Subscription Available 0xff', 'connack', [0x2a, 0xff]],
]
for (const [name, owner, property] of BAD_VALUES)
  add(name, V5_WITH_PROPS[owner]!(props(property)), 'ERR_PROPERTY_VALUE')
add('Response Topic with a wildcard', V5_WITH_PROPS.publish!(props([0x08, ...str('a/#')])), 'ERR_TOPIC_NAME') // [MQTT-3.3.2-14]

export const PROPERTY_CASES: readonly MalformedCase[] = corpus
