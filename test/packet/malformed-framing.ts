// Malformed frames that break the framing: fixed-header flags, packet types, remaining length, truncation at
// every field, trailing bytes. Each entry breaks one rule of an otherwise valid template (malformed-bytes.ts).
import type { CodecErrorCode } from '../../src/packet/errors.js'
import { type Bytes, frame, lp, PROPERTY_SAMPLES, str, u16, V4_VALID, V5_VALID, vbi } from './malformed-bytes.js'
import { type MalformedCase, malformed } from './malformed-case.js'

const corpus: MalformedCase[] = []
const add = (version: 4 | 5, name: string, bytes: Bytes, code: CodecErrorCode) =>
  corpus.push(malformed(version, name, bytes, code))

const VERSIONS = [4, 5] as const
const validOf = (version: 4 | 5) => (version === 4 ? V4_VALID : V5_VALID)
const withBody = (first: number, body: Bytes) => frame(first, body)
/** The body of a valid frame with a one-byte remaining length. */
const bodyOf = (bytes: Bytes) => bytes.slice(2)

// --- Fixed header ------------------------------------------------------------------------------------------

const REQUIRED_FLAGS: Record<string, number> = { pubrel: 0x2, subscribe: 0x2, unsubscribe: 0x2 }
for (const version of VERSIONS) {
  for (const [type, bytes] of Object.entries(validOf(version))) {
    if (type === 'publish' || type === 'will') continue
    const required = REQUIRED_FLAGS[type] ?? 0
    const wrong = new Set([required ^ 0x1, required ^ 0x2, required ^ 0x4, required ^ 0x8, required ^ 0xf])
    for (const flags of wrong) {
      const first = (bytes[0]! & 0xf0) | flags
      add(
        version,
        `${type} with header flags ${flags.toString(2).padStart(4, '0')}`,
        [first, ...bytes.slice(1)],
        'ERR_HEADER_FLAGS',
      )
    }
  }
  add(version, 'packet type 0', [0x00, 0x00], 'ERR_PACKET_TYPE')
  add(version, 'packet type 0 with flags', [0x0f, 0x00], 'ERR_PACKET_TYPE')
  add(version, 'remaining length of 5 bytes', [0x30, 0xff, 0xff, 0xff, 0xff, 0x7f], 'ERR_REMAINING_LENGTH')
  add(version, 'remaining length 0x80 x4 then 0x01', [0x30, 0x80, 0x80, 0x80, 0x80, 0x01], 'ERR_REMAINING_LENGTH')
  add(version, 'remaining length 0 in 2 bytes', [0xc0, 0x80, 0x00], 'ERR_REMAINING_LENGTH') // [MQTT-1.5.5-1]
  add(version, 'remaining length 2 in 3 bytes', [0x40, 0x82, 0x80, 0x00, 0x00, 0x01], 'ERR_REMAINING_LENGTH')
  add(version, 'publish QoS 3', [0x36, ...bodyOf(V4_VALID.publish!)], 'ERR_QOS') // [MQTT-3.3.1-4]
  add(version, 'publish QoS 3 with DUP and RETAIN', [0x3f, ...bodyOf(V4_VALID.publish!)], 'ERR_QOS')
}
add(4, 'AUTH before MQTT 5', [0xf0, 0x00], 'ERR_PACKET_TYPE')
add(4, 'AUTH before MQTT 5 with a reason code', [0xf0, 0x02, 0x18, 0x00], 'ERR_PACKET_TYPE')

// --- Truncation at every field, and trailing bytes ---------------------------------------------------------

/** A field of a template body. `atStart`: what a body ending just before it means ('skip': still valid, or covered elsewhere). */
interface Field {
  bytes: Bytes
  atStart?: CodecErrorCode | 'skip'
  inside?: CodecErrorCode | 'skip'
}
const PROPERTY_CONTENT = PROPERTY_SAMPLES.get(0x26)! // a User Property: allowed in every packet type
const propLength = (atStart: Field['atStart'] = 'ERR_TRUNCATED'): Field => ({
  bytes: vbi(PROPERTY_CONTENT.length),
  atStart,
})
const propContent: Field = { bytes: PROPERTY_CONTENT, atStart: 'ERR_PROPERTY_LENGTH', inside: 'ERR_PROPERTY_LENGTH' }
const f = (bytes: Bytes, atStart?: Field['atStart']): Field => (atStart ? { bytes, atStart } : { bytes })
const CONNECT_FLAGS_ALL = 0xc6 // user name, password, will QoS 0, clean

const TRUNCATION_TEMPLATES: Record<4 | 5, Record<string, [first: number, fields: Field[]]>> = {
  4: {
    connect: [
      0x10,
      [
        f(str('MQTT')),
        f([4]),
        f([CONNECT_FLAGS_ALL]),
        f(u16(60)),
        f(str('c')),
        f(str('w')),
        f(lp([1])),
        f(str('u')),
        f(lp([2])),
      ],
    ],
    connack: [0x20, [f([0x00]), f([0x00])]],
    publish: [0x32, [f(str('a/b')), f(u16(1)), { bytes: [0x68, 0x69], atStart: 'skip', inside: 'skip' }]],
    puback: [0x40, [f(u16(1))]],
    pubrec: [0x50, [f(u16(1))]],
    pubrel: [0x62, [f(u16(1))]],
    pubcomp: [0x70, [f(u16(1))]],
    subscribe: [0x82, [f(u16(1)), f(str('a/b'), 'skip'), f([0x01])]],
    suback: [0x90, [f(u16(1)), f([0x01], 'skip')]],
    unsubscribe: [0xa2, [f(u16(1)), f(str('a/b'), 'skip')]],
    unsuback: [0xb0, [f(u16(1))]],
  },
  5: {
    connect: [
      0x10,
      [
        f(str('MQTT')),
        f([5]),
        f([CONNECT_FLAGS_ALL]),
        f(u16(60)),
        propLength(),
        propContent,
        f(str('c')),
        propLength(),
        propContent,
        f(str('w')),
        f(lp([1])),
        f(str('u')),
        f(lp([2])),
      ],
    ],
    connack: [0x20, [f([0x00]), f([0x00]), propLength(), propContent]],
    publish: [
      0x32,
      [f(str('a/b')), f(u16(1)), propLength(), propContent, { bytes: [0x68, 0x69], atStart: 'skip', inside: 'skip' }],
    ],
    ...Object.fromEntries(
      (
        [
          ['puback', 0x40],
          ['pubrec', 0x50],
          ['pubrel', 0x62],
          ['pubcomp', 0x70],
        ] as const
      ).map(([type, first]) => [type, [first, [f(u16(1)), f([0x00], 'skip'), propLength('skip'), propContent]]]),
    ),
    subscribe: [0x82, [f(u16(1)), propLength(), propContent, f(str('a/b'), 'skip'), f([0x01])]],
    suback: [0x90, [f(u16(1)), propLength(), propContent, f([0x01], 'skip')]],
    unsubscribe: [0xa2, [f(u16(1)), propLength(), propContent, f(str('a/b'), 'skip')]],
    unsuback: [0xb0, [f(u16(1)), propLength(), propContent]],
    disconnect: [0xe0, [f([0x00], 'skip'), propLength('skip'), propContent]],
    auth: [0xf0, [f([0x00], 'skip'), propLength('skip'), propContent]],
  },
}

for (const version of VERSIONS) {
  for (const [type, [first, fields]] of Object.entries(TRUNCATION_TEMPLATES[version])) {
    const body = fields.flatMap((field) => field.bytes)
    let start = 0
    fields.forEach((field, index) => {
      for (let cut = start; cut < start + field.bytes.length; cut++) {
        const expected = cut === start ? (field.atStart ?? 'ERR_TRUNCATED') : (field.inside ?? 'ERR_TRUNCATED')
        if (expected === 'skip') continue
        add(version, `${type} truncated at byte ${cut} (field ${index})`, withBody(first, body.slice(0, cut)), expected)
      }
      start += field.bytes.length
    })
  }
}

for (const version of VERSIONS) {
  const trailing: string[] = [
    'connect',
    'connack',
    'puback',
    'pubrec',
    'pubrel',
    'pubcomp',
    'pingreq',
    'pingresp',
    'disconnect',
  ]
  if (version === 4) trailing.push('unsuback')
  else trailing.push('auth')
  for (const type of trailing) {
    const valid = validOf(version)[type]!
    add(version, `${type} with a trailing byte`, withBody(valid[0]!, [...bodyOf(valid), 0x00]), 'ERR_TRAILING_BYTES')
  }
}

export const FRAMING_CASES: readonly MalformedCase[] = corpus
