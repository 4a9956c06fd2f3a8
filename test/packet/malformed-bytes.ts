// Byte builders for hand-made MQTT frames, and valid template packets that the malformed corpus breaks in
// exactly one way each. Everything is plain number[] so the corpus can print entries as hex.

export type Bytes = number[]

export const u16 = (n: number): Bytes => [n >> 8, n & 0xff]
export const u32 = (n: number): Bytes => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]

/** A Variable Byte Integer, minimally encoded. */
export function vbi(n: number): Bytes {
  const out: Bytes = []
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    out.push(byte)
  } while (n > 0)
  return out
}

/** Length-prefixed raw bytes: Binary Data, or a UTF-8 string given as its (possibly ill-formed) bytes. */
export const lp = (bytes: Bytes): Bytes => [...u16(bytes.length), ...bytes]
/** A well-formed UTF-8 String. */
export const str = (s: string): Bytes => lp([...new TextEncoder().encode(s)])

/** A fixed header (first byte + minimal remaining length) around `body`. */
export const frame = (first: number, body: Bytes): Bytes => [first, ...vbi(body.length), ...body]

/** A property section: its length, then the properties. */
export const props = (...properties: Bytes[]): Bytes => {
  const content = properties.flat()
  return [...vbi(content.length), ...content]
}
export const NO_PROPS: Bytes = [0x00]

/** One valid encoding of every MQTT 5 property, keyed by identifier. */
export const PROPERTY_SAMPLES: ReadonlyMap<number, Bytes> = new Map([
  [0x01, [0x01, 0x01]],
  [0x02, [0x02, ...u32(60)]],
  [0x03, [0x03, ...str('text/plain')]],
  [0x08, [0x08, ...str('re/ply')]],
  [0x09, [0x09, ...lp([1, 2])]],
  [0x0b, [0x0b, ...vbi(5)]],
  [0x11, [0x11, ...u32(10)]],
  [0x12, [0x12, ...str('id')]],
  [0x13, [0x13, ...u16(30)]],
  [0x15, [0x15, ...str('SCRAM')]],
  [0x16, [0x16, ...lp([7])]],
  [0x17, [0x17, 0x01]],
  [0x18, [0x18, ...u32(5)]],
  [0x19, [0x19, 0x01]],
  [0x1a, [0x1a, ...str('info')]],
  [0x1c, [0x1c, ...str('srv')]],
  [0x1f, [0x1f, ...str('why')]],
  [0x21, [0x21, ...u16(10)]],
  [0x22, [0x22, ...u16(10)]],
  [0x23, [0x23, ...u16(1)]],
  [0x24, [0x24, 0x01]],
  [0x25, [0x25, 0x01]],
  [0x26, [0x26, ...str('k'), ...str('v')]],
  [0x27, [0x27, ...u32(1000)]],
  [0x28, [0x28, 0x01]],
  [0x29, [0x29, 0x01]],
  [0x2a, [0x2a, 0x01]],
])

/** Where each property may appear in MQTT 5 (section 2.2.2.2); 'will' is the CONNECT will properties. */
export const PROPERTY_OWNERS: ReadonlyMap<number, readonly string[]> = new Map([
  [0x01, ['publish', 'will']],
  [0x02, ['publish', 'will']],
  [0x03, ['publish', 'will']],
  [0x08, ['publish', 'will']],
  [0x09, ['publish', 'will']],
  [0x0b, ['publish', 'subscribe']],
  [0x11, ['connect', 'connack', 'disconnect']],
  [0x12, ['connack']],
  [0x13, ['connack']],
  [0x15, ['connect', 'connack', 'auth']],
  [0x16, ['connect', 'connack', 'auth']],
  [0x17, ['connect']],
  [0x18, ['will']],
  [0x19, ['connect']],
  [0x1a, ['connack']],
  [0x1c, ['connack', 'disconnect']],
  [0x1f, ['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback', 'disconnect', 'auth']],
  [0x21, ['connect', 'connack']],
  [0x22, ['connect', 'connack']],
  [0x23, ['publish']],
  [0x24, ['connack']],
  [0x25, ['connack']],
  [
    0x26,
    [
      'connect',
      'will',
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
      'disconnect',
      'auth',
    ],
  ],
  [0x27, ['connect', 'connack']],
  [0x28, ['connack']],
  [0x29, ['connack']],
  [0x2a, ['connack']],
])

/** MQTT 5 templates: each takes a property section (length included) and returns a valid frame. */
export const V5_WITH_PROPS: Readonly<Record<string, (p: Bytes) => Bytes>> = {
  connect: (p) => frame(0x10, [...str('MQTT'), 5, 0x02, ...u16(60), ...p, ...str('c')]),
  will: (p) =>
    frame(0x10, [...str('MQTT'), 5, 0x06, ...u16(60), ...NO_PROPS, ...str('c'), ...p, ...str('w'), ...lp([])]),
  connack: (p) => frame(0x20, [0x00, 0x00, ...p]),
  publish: (p) => frame(0x32, [...str('a/b'), ...u16(1), ...p, 0x68, 0x69]),
  puback: (p) => frame(0x40, [...u16(1), 0x00, ...p]),
  pubrec: (p) => frame(0x50, [...u16(1), 0x00, ...p]),
  pubrel: (p) => frame(0x62, [...u16(1), 0x00, ...p]),
  pubcomp: (p) => frame(0x70, [...u16(1), 0x00, ...p]),
  subscribe: (p) => frame(0x82, [...u16(1), ...p, ...str('a/b'), 0x01]),
  suback: (p) => frame(0x90, [...u16(1), ...p, 0x00]),
  unsubscribe: (p) => frame(0xa2, [...u16(1), ...p, ...str('a/b')]),
  unsuback: (p) => frame(0xb0, [...u16(1), ...p, 0x00]),
  disconnect: (p) => frame(0xe0, [0x00, ...p]),
  auth: (p) => frame(0xf0, [0x00, ...p]),
}

/** Valid MQTT 3.1.1 frames, one per packet type. */
export const V4_VALID: Readonly<Record<string, Bytes>> = {
  connect: frame(0x10, [...str('MQTT'), 4, 0x02, ...u16(60), ...str('c')]),
  connack: frame(0x20, [0x00, 0x00]),
  publish: frame(0x32, [...str('a/b'), ...u16(1), 0x68, 0x69]),
  puback: frame(0x40, u16(1)),
  pubrec: frame(0x50, u16(1)),
  pubrel: frame(0x62, u16(1)),
  pubcomp: frame(0x70, u16(1)),
  subscribe: frame(0x82, [...u16(1), ...str('a/b'), 0x01]),
  suback: frame(0x90, [...u16(1), 0x00]),
  unsubscribe: frame(0xa2, [...u16(1), ...str('a/b')]),
  unsuback: frame(0xb0, u16(1)),
  pingreq: frame(0xc0, []),
  pingresp: frame(0xd0, []),
  disconnect: frame(0xe0, []),
}

/** Valid MQTT 5 frames, one per packet type (and a CONNECT with a will). */
export const V5_VALID: Readonly<Record<string, Bytes>> = {
  ...Object.fromEntries(Object.entries(V5_WITH_PROPS).map(([type, build]) => [type, build(NO_PROPS)])),
  pingreq: frame(0xc0, []),
  pingresp: frame(0xd0, []),
}

/** Ill-formed or forbidden UTF-8 contents [MQTT-1.5.4-1], [MQTT-1.5.4-2]. */
export const BAD_UTF8: Readonly<Record<string, Bytes>> = {
  'U+0000': [0x61, 0x00],
  'overlong NUL C0 80': [0xc0, 0x80],
  'overlong C1 BF': [0xc1, 0xbf],
  'overlong 3-byte E0 80 AF': [0xe0, 0x80, 0xaf],
  'overlong 4-byte F0 80 80 AF': [0xf0, 0x80, 0x80, 0xaf],
  'surrogate U+D800': [0xed, 0xa0, 0x80],
  'surrogate U+DFFF': [0xed, 0xbf, 0xbf],
  'surrogate pair as CESU-8': [0xed, 0xa0, 0xbd, 0xed, 0xb2, 0xa9],
  'above U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
  'byte F5': [0x61, 0xf5, 0x80, 0x80, 0x80],
  'byte FF': [0xff],
  'lone continuation byte': [0x61, 0x80],
  'truncated 2-byte sequence': [0x61, 0xc3],
  'truncated 3-byte sequence': [0xe2, 0x82],
  'bad continuation': [0xc3, 0x28],
}
