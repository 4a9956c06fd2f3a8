// Golden byte vectors, worked out by hand from the MQTT 3.1, 3.1.1 and 5.0 specifications (not produced by
// the encoder): every packet type at every protocol level, MQTT 5 with and without properties, short and long
// reason-code forms, multi-byte Remaining Lengths, ordered User Properties, several Subscription Identifiers.
// Each protocol level's group starts with its CONNECT, so that the whole list can be decoded as one stream
// (decoding a CONNECT switches the decoder to that CONNECT's level).
import type { Packet, ProtocolVersion } from '../../src/packet/types.js'

export interface GoldenVector {
  name: string
  protocolVersion: ProtocolVersion
  /** Bytes in hex; spaces separate fields for the reader and are ignored. */
  hex: string
  packet: Packet
  /** A valid but non-canonical encoding: it decodes to `packet`, which encodes to a shorter form. */
  decodeOnly?: true
}

export function hexToBytes(hex: string): Uint8Array {
  const digits = hex.replace(/\s+/g, '')
  const bytes = new Uint8Array(digits.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

const bytes = (...values: number[]) => new Uint8Array(values)
const ascii = (text: string) => new Uint8Array(Array.from(text, (c) => c.charCodeAt(0)))
const filled = (length: number, value: number) => new Uint8Array(length).fill(value)
const hexOf = (length: number, value: string) => value.repeat(length)

const MQISDP = '0006 4d5149736470 03' // "MQIsdp", level 3
const MQTT4 = '0004 4d515454 04' // "MQTT", level 4
const MQTT5 = '0004 4d515454 05' // "MQTT", level 5

const V3: GoldenVector[] = [
  {
    name: 'connect, clean session',
    protocolVersion: 3,
    // flags 02 (clean), keepalive 60, client id "c1"
    hex: `10 10 ${MQISDP} 02 003c 0002 6331`,
    packet: { type: 'connect', protocolVersion: 3, clientId: 'c1', clean: true, keepalive: 60 },
  },
  {
    name: 'connect with will, user name and password',
    protocolVersion: 3,
    // flags cc = user 80 | password 40 | will QoS 1 (08) | will 04; keepalive 10
    hex: `10 1b ${MQISDP} cc 000a 0001 63 0001 77 0001 78 0001 75 0001 70`,
    packet: {
      type: 'connect',
      protocolVersion: 3,
      clientId: 'c',
      clean: false,
      keepalive: 10,
      will: { topic: 'w', payload: ascii('x'), qos: 1, retain: false },
      username: 'u',
      password: ascii('p'),
    },
  },
  {
    name: 'connack accepted',
    protocolVersion: 3,
    hex: '20 02 00 00',
    packet: { type: 'connack', sessionPresent: false, reasonCode: 0 },
  },
  {
    name: 'connack refused, identifier rejected',
    protocolVersion: 3,
    hex: '20 02 00 02',
    packet: { type: 'connack', sessionPresent: false, reasonCode: 2 },
  },
  {
    name: 'publish QoS 0',
    protocolVersion: 3,
    hex: '30 07 0003 612f62 6869',
    packet: { type: 'publish', topic: 'a/b', payload: ascii('hi'), qos: 0, retain: false, dup: false },
  },
  {
    name: 'publish QoS 1 retained',
    protocolVersion: 3,
    hex: '33 09 0003 612f62 000a 6869',
    packet: { type: 'publish', topic: 'a/b', payload: ascii('hi'), qos: 1, retain: true, dup: false, packetId: 10 },
  },
  {
    name: 'publish QoS 2 duplicate',
    protocolVersion: 3,
    hex: '3c 09 0003 612f62 1234 6869',
    packet: { type: 'publish', topic: 'a/b', payload: ascii('hi'), qos: 2, retain: false, dup: true, packetId: 0x1234 },
  },
  { name: 'puback', protocolVersion: 3, hex: '40 02 000a', packet: { type: 'puback', packetId: 10 } },
  { name: 'pubrec', protocolVersion: 3, hex: '50 02 000b', packet: { type: 'pubrec', packetId: 11 } },
  { name: 'pubrel', protocolVersion: 3, hex: '62 02 000b', packet: { type: 'pubrel', packetId: 11 } },
  { name: 'pubcomp', protocolVersion: 3, hex: '70 02 000b', packet: { type: 'pubcomp', packetId: 11 } },
  {
    name: 'subscribe, two filters',
    protocolVersion: 3,
    hex: '82 0c 0001 0003 612f23 01 0001 2b 00',
    packet: {
      type: 'subscribe',
      packetId: 1,
      subscriptions: [
        { topic: 'a/#', qos: 1 },
        { topic: '+', qos: 0 },
      ],
    },
  },
  {
    name: 'suback',
    protocolVersion: 3,
    hex: '90 04 0001 01 80',
    packet: { type: 'suback', packetId: 1, reasonCodes: [1, 0x80] },
  },
  {
    name: 'unsubscribe',
    protocolVersion: 3,
    hex: 'a2 07 0002 0003 612f23',
    packet: { type: 'unsubscribe', packetId: 2, topics: ['a/#'] },
  },
  {
    name: 'unsuback',
    protocolVersion: 3,
    hex: 'b0 02 0002',
    packet: { type: 'unsuback', packetId: 2, reasonCodes: [] },
  },
  { name: 'pingreq', protocolVersion: 3, hex: 'c0 00', packet: { type: 'pingreq' } },
  { name: 'pingresp', protocolVersion: 3, hex: 'd0 00', packet: { type: 'pingresp' } },
  { name: 'disconnect', protocolVersion: 3, hex: 'e0 00', packet: { type: 'disconnect' } },
]

const V4: GoldenVector[] = [
  {
    name: 'connect, clean session',
    protocolVersion: 4,
    hex: `10 0e ${MQTT4} 02 003c 0002 6331`,
    packet: { type: 'connect', protocolVersion: 4, clientId: 'c1', clean: true, keepalive: 60 },
  },
  {
    name: 'connect with retained QoS 2 will, user name and password',
    protocolVersion: 4,
    // flags f6 = user 80 | password 40 | will retain 20 | will QoS 2 (10) | will 04 | clean 02; keepalive 0
    hex: `10 23 ${MQTT4} f6 0000 0003 636964 0003 772f74 0003 627965 0004 75736572 0002 0102`,
    packet: {
      type: 'connect',
      protocolVersion: 4,
      clientId: 'cid',
      clean: true,
      keepalive: 0,
      will: { topic: 'w/t', payload: ascii('bye'), qos: 2, retain: true },
      username: 'user',
      password: bytes(1, 2),
    },
  },
  {
    name: 'connack, session present',
    protocolVersion: 4,
    hex: '20 02 01 00',
    packet: { type: 'connack', sessionPresent: true, reasonCode: 0 },
  },
  {
    name: 'connack refused, not authorized',
    protocolVersion: 4,
    hex: '20 02 00 05',
    packet: { type: 'connack', sessionPresent: false, reasonCode: 5 },
  },
  {
    name: 'publish QoS 1, empty payload',
    protocolVersion: 4,
    hex: '32 05 0001 74 0001',
    packet: { type: 'publish', topic: 't', payload: bytes(), qos: 1, retain: false, dup: false, packetId: 1 },
  },
  {
    name: 'publish, multi-byte UTF-8 topic',
    protocolVersion: 4,
    // é = c3a9, € = e282ac, U+1F600 = f09f9880
    hex: '30 0d 000b c3a9 2f e282ac 2f f09f9880',
    packet: { type: 'publish', topic: 'é/€/\u{1F600}', payload: bytes(), qos: 0, retain: false, dup: false },
  },
  {
    name: 'publish, topic starting with U+FEFF kept as is',
    protocolVersion: 4,
    hex: '30 06 0004 efbbbf 61',
    packet: { type: 'publish', topic: '\uFEFFa', payload: bytes(), qos: 0, retain: false, dup: false },
  },
  {
    name: 'publish, 2-byte remaining length (203)',
    protocolVersion: 4,
    // 203 = 0x4b + 1 * 128 → cb 01
    hex: `30 cb01 0001 61 ${hexOf(200, 'ab')}`,
    packet: { type: 'publish', topic: 'a', payload: filled(200, 0xab), qos: 0, retain: false, dup: false },
  },
  {
    name: 'publish, 3-byte remaining length (16,384)',
    protocolVersion: 4,
    // 16384 = 0 + 0 * 128 + 1 * 128² → 80 80 01
    hex: `30 808001 0001 61 ${hexOf(16381, '00')}`,
    packet: { type: 'publish', topic: 'a', payload: filled(16381, 0), qos: 0, retain: false, dup: false },
  },
  {
    name: 'puback, packet id 65535',
    protocolVersion: 4,
    hex: '40 02 ffff',
    packet: { type: 'puback', packetId: 65535 },
  },
  { name: 'pubrec', protocolVersion: 4, hex: '50 02 0001', packet: { type: 'pubrec', packetId: 1 } },
  { name: 'pubrel', protocolVersion: 4, hex: '62 02 0001', packet: { type: 'pubrel', packetId: 1 } },
  { name: 'pubcomp', protocolVersion: 4, hex: '70 02 0001', packet: { type: 'pubcomp', packetId: 1 } },
  {
    name: 'subscribe',
    protocolVersion: 4,
    hex: '82 0a 0102 0005 782f2b2f79 02',
    packet: { type: 'subscribe', packetId: 0x0102, subscriptions: [{ topic: 'x/+/y', qos: 2 }] },
  },
  {
    name: 'suback',
    protocolVersion: 4,
    hex: '90 06 0102 02 00 01 80',
    packet: { type: 'suback', packetId: 0x0102, reasonCodes: [2, 0, 1, 0x80] },
  },
  {
    name: 'unsubscribe, two filters',
    protocolVersion: 4,
    hex: 'a2 0a 0003 0001 61 0003 622f63',
    packet: { type: 'unsubscribe', packetId: 3, topics: ['a', 'b/c'] },
  },
  {
    name: 'unsuback',
    protocolVersion: 4,
    hex: 'b0 02 0003',
    packet: { type: 'unsuback', packetId: 3, reasonCodes: [] },
  },
  { name: 'pingreq', protocolVersion: 4, hex: 'c0 00', packet: { type: 'pingreq' } },
  { name: 'pingresp', protocolVersion: 4, hex: 'd0 00', packet: { type: 'pingresp' } },
  { name: 'disconnect', protocolVersion: 4, hex: 'e0 00', packet: { type: 'disconnect' } },
]

const V5: GoldenVector[] = [
  {
    name: 'connect, empty client id, no properties',
    protocolVersion: 5,
    hex: `10 0d ${MQTT5} 02 001e 00 0000`,
    packet: { type: 'connect', protocolVersion: 5, clientId: '', clean: true, keepalive: 30 },
  },
  {
    name: 'connect with will, user name, password and properties',
    protocolVersion: 5,
    // flags ec = user 80 | password 40 | will retain 20 | will QoS 1 (08) | will 04
    hex: [
      `10 70 ${MQTT5} ec 003c`,
      '2a', // property length 42
      '11 00000e10', // session expiry 3600
      '21 0014', // receive maximum 20
      '27 00000400', // maximum packet size 1024
      '22 000a', // topic alias maximum 10
      '19 01', // request response information
      '17 00', // request problem information
      '26 0001 6b 0001 76', // user property k=v
      '26 0001 6b 0001 77', // user property k=w (same name again, order kept)
      '15 0005 534352414d', // authentication method SCRAM
      '0002 636c', // client id "cl"
      '23', // will property length 35
      '18 00000005', // will delay 5
      '02 0000003c', // message expiry 60
      '03 0004 74657874', // content type "text"
      '01 01', // payload format indicator
      '08 0001 72', // response topic "r"
      '09 0002 dead', // correlation data
      '26 0001 61 0001 62', // user property a=b
      '0004 73742f31', // will topic "st/1"
      '0003 6f6666', // will payload "off"
      '0002 6d65', // user name "me"
      '0002 7077', // password "pw"
    ].join(' '),
    packet: {
      type: 'connect',
      protocolVersion: 5,
      clientId: 'cl',
      clean: false,
      keepalive: 60,
      will: {
        topic: 'st/1',
        payload: ascii('off'),
        qos: 1,
        retain: true,
        properties: {
          willDelayInterval: 5,
          messageExpiryInterval: 60,
          contentType: 'text',
          payloadFormatIndicator: true,
          responseTopic: 'r',
          correlationData: bytes(0xde, 0xad),
          userProperties: [['a', 'b']],
        },
      },
      username: 'me',
      password: ascii('pw'),
      properties: {
        sessionExpiryInterval: 3600,
        receiveMaximum: 20,
        maximumPacketSize: 1024,
        topicAliasMaximum: 10,
        requestResponseInformation: true,
        requestProblemInformation: false,
        userProperties: [
          ['k', 'v'],
          ['k', 'w'],
        ],
        authenticationMethod: 'SCRAM',
      },
    },
  },
  {
    name: 'connect, password without user name',
    protocolVersion: 5,
    // flags 42 = password 40 | clean 02
    hex: `10 11 ${MQTT5} 42 0000 00 0001 61 0001 00`,
    packet: { type: 'connect', protocolVersion: 5, clientId: 'a', clean: true, keepalive: 0, password: bytes(0) },
  },
  {
    name: 'connack, no properties',
    protocolVersion: 5,
    hex: '20 03 00 00 00',
    packet: { type: 'connack', sessionPresent: false, reasonCode: 0 },
  },
  {
    name: 'connack with every CONNACK property',
    protocolVersion: 5,
    hex: [
      '20 44 01 00',
      '41', // property length 65
      '12 0003 696431', // assigned client identifier "id1"
      '13 0078', // server keep alive 120
      '21 0064', // receive maximum 100
      '22 0000', // topic alias maximum 0
      '24 01', // maximum QoS 1
      '25 00', // retain available: no
      '27 00010000', // maximum packet size 65536
      '28 01', // wildcard subscriptions available
      '29 01', // subscription identifiers available
      '2a 00', // shared subscriptions available: no
      '1a 0002 7269', // response information "ri"
      '1c 0002 7372', // server reference "sr"
      '1f 0002 6f6b', // reason string "ok"
      '15 0001 6d', // authentication method "m"
      '16 0001 01', // authentication data
      '26 0001 78 0001 79', // user property x=y
      '11 0000012c', // session expiry 300
    ].join(' '),
    packet: {
      type: 'connack',
      sessionPresent: true,
      reasonCode: 0,
      properties: {
        assignedClientIdentifier: 'id1',
        serverKeepAlive: 120,
        receiveMaximum: 100,
        topicAliasMaximum: 0,
        maximumQoS: 1,
        retainAvailable: false,
        maximumPacketSize: 65536,
        wildcardSubscriptionAvailable: true,
        subscriptionIdentifiersAvailable: true,
        sharedSubscriptionAvailable: false,
        responseInformation: 'ri',
        serverReference: 'sr',
        reasonString: 'ok',
        authenticationMethod: 'm',
        authenticationData: bytes(1),
        userProperties: [['x', 'y']],
        sessionExpiryInterval: 300,
      },
    },
  },
  {
    name: 'connack refused, not authorized, with reason string',
    protocolVersion: 5,
    hex: '20 08 00 87 05 1f 0002 6e6f',
    packet: { type: 'connack', sessionPresent: false, reasonCode: 0x87, properties: { reasonString: 'no' } },
  },
  {
    name: 'connack in 3.1.1 form refusing the protocol version (for the fallback)',
    protocolVersion: 5,
    hex: '20 02 00 01',
    packet: { type: 'connack', sessionPresent: false, reasonCode: 1 },
    decodeOnly: true,
  },
  {
    name: 'publish QoS 0, no properties',
    protocolVersion: 5,
    hex: '30 08 0003 612f62 00 6869',
    packet: { type: 'publish', topic: 'a/b', payload: ascii('hi'), qos: 0, retain: false, dup: false },
  },
  {
    name: 'publish QoS 1, no properties',
    protocolVersion: 5,
    hex: '32 08 0001 74 000a 00 0102',
    packet: { type: 'publish', topic: 't', payload: bytes(1, 2), qos: 1, retain: false, dup: false, packetId: 10 },
  },
  {
    name: 'publish QoS 2 retained with properties and three user properties',
    protocolVersion: 5,
    hex: [
      '35 3c 0001 61 0100',
      '35', // property length 53
      '01 01', // payload format indicator
      '02 0000000a', // message expiry 10
      '03 0001 6a', // content type "j"
      '08 0003 722f73', // response topic "r/s"
      '09 0003 010203', // correlation data
      '23 0005', // topic alias 5
      '26 0002 6b31 0002 7631', // k1=v1
      '26 0002 6b32 0002 7632', // k2=v2
      '26 0002 6b31 0002 7633', // k1=v3
      '78', // payload "x"
    ].join(' '),
    packet: {
      type: 'publish',
      topic: 'a',
      payload: ascii('x'),
      qos: 2,
      retain: true,
      dup: false,
      packetId: 0x0100,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 10,
        contentType: 'j',
        responseTopic: 'r/s',
        correlationData: bytes(1, 2, 3),
        topicAlias: 5,
        userProperties: [
          ['k1', 'v1'],
          ['k2', 'v2'],
          ['k1', 'v3'],
        ],
      },
    },
  },
  {
    name: 'publish with three subscription identifiers',
    protocolVersion: 5,
    // 1 → 01; 200 → c8 01; 268,435,455 → ff ff ff 7f
    hex: '30 0e 0001 61 0a 0b 01 0b c801 0b ffffff7f',
    packet: {
      type: 'publish',
      topic: 'a',
      payload: bytes(),
      qos: 0,
      retain: false,
      dup: false,
      properties: { subscriptionIdentifier: [1, 200, 268_435_455] },
    },
  },
  {
    name: 'publish with one subscription identifier (3-byte varint)',
    protocolVersion: 5,
    hex: '30 08 0001 61 04 0b 808001',
    packet: {
      type: 'publish',
      topic: 'a',
      payload: bytes(),
      qos: 0,
      retain: false,
      dup: false,
      properties: { subscriptionIdentifier: 16384 },
    },
  },
  {
    name: 'publish with an empty topic and a topic alias',
    protocolVersion: 5,
    hex: '32 09 0000 0007 03 23 0003 7a',
    packet: {
      type: 'publish',
      topic: '',
      payload: ascii('z'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 7,
      properties: { topicAlias: 3 },
    },
  },
  {
    name: 'publish, 2-byte remaining length (312)',
    protocolVersion: 5,
    // 312 = 0x38 + 2 * 128 → b8 02
    hex: `32 b802 0003 626967 0001 04 03 0001 63 ${hexOf(300, '5a')}`,
    packet: {
      type: 'publish',
      topic: 'big',
      payload: filled(300, 0x5a),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 1,
      properties: { contentType: 'c' },
    },
  },
  {
    name: 'puback, short form',
    protocolVersion: 5,
    hex: '40 02 0001',
    packet: { type: 'puback', packetId: 1, reasonCode: 0 },
  },
  {
    name: 'puback, reason code only',
    protocolVersion: 5,
    hex: '40 03 0001 10',
    packet: { type: 'puback', packetId: 1, reasonCode: 0x10 },
  },
  {
    name: 'puback, reason code and reason string',
    protocolVersion: 5,
    hex: '40 08 0001 80 04 1f 0001 65',
    packet: { type: 'puback', packetId: 1, reasonCode: 0x80, properties: { reasonString: 'e' } },
  },
  {
    name: 'puback, long form of success',
    protocolVersion: 5,
    hex: '40 04 0001 00 00',
    packet: { type: 'puback', packetId: 1, reasonCode: 0 },
    decodeOnly: true,
  },
  {
    name: 'pubrec, quota exceeded',
    protocolVersion: 5,
    hex: '50 03 0002 97',
    packet: { type: 'pubrec', packetId: 2, reasonCode: 0x97 },
  },
  {
    name: 'pubrel, short form',
    protocolVersion: 5,
    hex: '62 02 0002',
    packet: { type: 'pubrel', packetId: 2, reasonCode: 0 },
  },
  {
    name: 'pubrel, packet identifier not found',
    protocolVersion: 5,
    hex: '62 03 0002 92',
    packet: { type: 'pubrel', packetId: 2, reasonCode: 0x92 },
  },
  {
    name: 'pubcomp, success with a user property',
    protocolVersion: 5,
    hex: '70 0b 0002 00 07 26 0001 61 0001 62',
    packet: { type: 'pubcomp', packetId: 2, reasonCode: 0, properties: { userProperties: [['a', 'b']] } },
  },
  {
    name: 'subscribe with every option set',
    protocolVersion: 5,
    // options 2d = retain handling 2 (20) | retain as published 08 | no local 04 | QoS 1
    hex: '82 09 0001 00 0003 612f2b 2d',
    packet: {
      type: 'subscribe',
      packetId: 1,
      subscriptions: [{ topic: 'a/+', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 }],
    },
  },
  {
    name: 'subscribe with a subscription identifier, a user property and a shared subscription',
    protocolVersion: 5,
    // 300 → ac 02
    hex: '82 1e 0002 0a 0b ac02 26 0001 75 0001 31 000a 247368617265 2f672f74 10 0001 23 02',
    packet: {
      type: 'subscribe',
      packetId: 2,
      subscriptions: [
        { topic: '$share/g/t', qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 1 },
        { topic: '#', qos: 2, noLocal: false, retainAsPublished: false, retainHandling: 0 },
      ],
      properties: { subscriptionIdentifier: 300, userProperties: [['u', '1']] },
    },
  },
  {
    name: 'suback, no properties',
    protocolVersion: 5,
    hex: '90 08 0001 00 00 01 02 80 a2',
    packet: { type: 'suback', packetId: 1, reasonCodes: [0, 1, 2, 0x80, 0xa2] },
  },
  {
    name: 'suback with a reason string',
    protocolVersion: 5,
    hex: '90 08 0001 04 1f 0001 72 00',
    packet: { type: 'suback', packetId: 1, reasonCodes: [0], properties: { reasonString: 'r' } },
  },
  {
    name: 'unsubscribe with a user property',
    protocolVersion: 5,
    hex: 'a2 12 0005 07 26 0001 61 0001 62 0003 612f62 0001 63',
    packet: { type: 'unsubscribe', packetId: 5, topics: ['a/b', 'c'], properties: { userProperties: [['a', 'b']] } },
  },
  {
    name: 'unsuback',
    protocolVersion: 5,
    hex: 'b0 05 0005 00 00 11',
    packet: { type: 'unsuback', packetId: 5, reasonCodes: [0, 0x11] },
  },
  { name: 'pingreq', protocolVersion: 5, hex: 'c0 00', packet: { type: 'pingreq' } },
  { name: 'pingresp', protocolVersion: 5, hex: 'd0 00', packet: { type: 'pingresp' } },
  {
    name: 'disconnect, short form',
    protocolVersion: 5,
    hex: 'e0 00',
    packet: { type: 'disconnect', reasonCode: 0 },
  },
  {
    name: 'disconnect, reason code only',
    protocolVersion: 5,
    hex: 'e0 01 04',
    packet: { type: 'disconnect', reasonCode: 0x04 },
  },
  {
    name: 'disconnect, session taken over, with properties',
    protocolVersion: 5,
    hex: 'e0 15 8e 13 11 00000000 1f 0003 627965 1c 0005 6f74686572',
    packet: {
      type: 'disconnect',
      reasonCode: 0x8e,
      properties: { sessionExpiryInterval: 0, reasonString: 'bye', serverReference: 'other' },
    },
  },
  {
    name: 'disconnect, long form of success',
    protocolVersion: 5,
    hex: 'e0 02 00 00',
    packet: { type: 'disconnect', reasonCode: 0 },
    decodeOnly: true,
  },
  { name: 'auth, short form', protocolVersion: 5, hex: 'f0 00', packet: { type: 'auth', reasonCode: 0 } },
  {
    name: 'auth, continue authentication with method and data',
    protocolVersion: 5,
    hex: 'f0 0f 18 0d 15 0005 534352414d 16 0002 6e3d',
    packet: {
      type: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'SCRAM', authenticationData: bytes(0x6e, 0x3d) },
    },
  },
]

/** Every golden vector: the 3.1 group, then 3.1.1, then 5.0, each starting with a CONNECT. */
export const GOLDEN_VECTORS: readonly GoldenVector[] = [...V3, ...V4, ...V5]
