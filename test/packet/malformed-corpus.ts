// The malformed corpus: systematically generated cases (framing, fields, properties) plus hand-written
// special cases. Every entry is a complete frame that the decoder must reject with exactly `code`.
import { frame, lp, NO_PROPS, props, str, u16, V5_WITH_PROPS } from './malformed-bytes.js'
import { type MalformedCase, malformed } from './malformed-case.js'
import { FIELD_CASES } from './malformed-fields.js'
import { FRAMING_CASES } from './malformed-framing.js'
import { PROPERTY_CASES } from './malformed-properties.js'

const SPECIAL_CASES: MalformedCase[] = [
  // DUP must be 0 for QoS 0 [MQTT-3.3.1-2].
  malformed(4, 'publish QoS 0 with DUP', frame(0x38, [...str('a'), 0x68]), 'ERR_HEADER_FLAGS'),
  malformed(5, 'publish QoS 0 with DUP', frame(0x38, [...str('a'), ...NO_PROPS, 0x68]), 'ERR_HEADER_FLAGS'),
  // 3.1.1 CONNACK return codes 6..255 are reserved.
  malformed(4, 'connack return code 6', frame(0x20, [0x00, 0x06]), 'ERR_REASON_CODE'),
  malformed(4, 'connack return code 0x80', frame(0x20, [0x00, 0x80]), 'ERR_REASON_CODE'),
  // No Local on a shared subscription is a Protocol Error [MQTT-3.8.3-4].
  malformed(
    5,
    'subscribe No Local on a shared subscription',
    frame(0x82, [...u16(1), 0x00, ...str('$share/g/a'), 0x04]),
    'ERR_SUBSCRIPTION_OPTIONS',
    { errorClass: 'ProtocolError' },
  ),
  // A User Property whose value is missing inside an otherwise consistent property section.
  malformed(
    5,
    'user property without a value',
    V5_WITH_PROPS.disconnect!(props([0x26, ...str('k')])),
    'ERR_PROPERTY_LENGTH',
  ),
  // A string length that runs past the end of the frame.
  malformed(4, 'publish topic length 0xffff', frame(0x30, [0xff, 0xff, 0x61]), 'ERR_TRUNCATED'),
  malformed(
    5,
    'connect client id length 0xffff',
    frame(0x10, [...str('MQTT'), 5, 0x02, 0, 60, 0x00, 0xff, 0xff]),
    'ERR_TRUNCATED',
  ),
  malformed(
    4,
    'connect password length beyond the frame',
    frame(0x10, [...str('MQTT'), 4, 0xc2, 0, 60, ...str('c'), ...str('u'), 0x00, 0x09, 1]),
    'ERR_TRUNCATED',
  ),
  // Over the maximum packet size: rejected from the fixed header, before the body arrives.
  malformed(
    4,
    'publish of 20 bytes over a 16-byte limit',
    frame(0x30, [...str('a/b'), ...new Array(13).fill(0x61)]),
    'ERR_PACKET_TOO_LARGE',
    { maximumPacketSize: 16 },
  ),
  malformed(
    5,
    'publish of 20 bytes over a 16-byte limit',
    frame(0x30, [...str('a/b'), 0x00, ...new Array(12).fill(0x61)]),
    'ERR_PACKET_TOO_LARGE',
    { maximumPacketSize: 16 },
  ),
  malformed(
    5,
    'remaining length 268,435,455 over a 1 MiB limit',
    [0x30, 0xff, 0xff, 0xff, 0x7f],
    'ERR_PACKET_TOO_LARGE',
    { maximumPacketSize: 1 << 20 },
  ),
  malformed(
    4,
    'connect with a will payload length beyond the frame',
    frame(0x10, [...str('MQTT'), 4, 0x06, 0, 60, ...str('c'), ...str('w'), ...lp([]).map(() => 0xff)]),
    'ERR_TRUNCATED',
  ),
]

export const MALFORMED_CORPUS: readonly MalformedCase[] = [
  ...FRAMING_CASES,
  ...FIELD_CASES,
  ...PROPERTY_CASES,
  ...SPECIAL_CASES,
]
