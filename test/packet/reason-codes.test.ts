import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  connackString,
  errorString,
  isFailure,
  isValidReasonCode,
  MQTT_ERR,
  ReasonCode,
  reasonCodeName,
  type VALID_REASON_CODES,
} from '../../src/packet/reason-codes.js'

// The per-packet tables of MQTT 5.0 sections 3.2.2.2, 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1, 3.9.3,
// 3.11.3, 3.14.2.1 and 3.15.2.1, written out independently of the module's own table.
const EXPECTED: Record<string, number[]> = {
  connack: [
    0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b,
    0x9c, 0x9d, 0x9f,
  ],
  puback: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrec: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrel: [0x00, 0x92],
  pubcomp: [0x00, 0x92],
  suback: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
  unsuback: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
  disconnect: [
    0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97,
    0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
  ],
  auth: [0x00, 0x18, 0x19],
}

describe('reason code validity per packet type', () => {
  for (const [type, codes] of Object.entries(EXPECTED)) {
    test(`${type}: exactly the codes of its table`, () => {
      const valid: number[] = []
      for (let code = 0; code < 256; code++) {
        if (isValidReasonCode(type as keyof typeof VALID_REASON_CODES, code)) valid.push(code)
      }
      assert.deepEqual(valid, codes)
    })
  }

  test('packet types without reason codes accept none', () => {
    for (const type of ['connect', 'publish', 'subscribe', 'unsubscribe', 'pingreq', 'pingresp'] as const) {
      assert.equal(isValidReasonCode(type, 0), false)
    }
  })

  test('every code 0x00..0xA2 that MQTT 5 defines has a name', () => {
    const defined = new Set(Object.values(EXPECTED).flat())
    assert.equal(defined.size, 45 - 2) // 45 rows in section 2.4, 0x00 spelled three ways
    for (const code of defined) assert.doesNotMatch(reasonCodeName(code), /^Unknown/)
  })
})

describe('reasonCodeName', () => {
  test('0x00 depends on the packet type', () => {
    assert.equal(reasonCodeName(0), 'Success')
    assert.equal(reasonCodeName(0, 'puback'), 'Success')
    assert.equal(reasonCodeName(0, 'disconnect'), 'Normal disconnection')
    assert.equal(reasonCodeName(0, 'suback'), 'Granted QoS 0')
  })

  test('spec names', () => {
    assert.equal(reasonCodeName(0x04), 'Disconnect with Will Message')
    assert.equal(reasonCodeName(0x10, 'puback'), 'No matching subscribers')
    assert.equal(reasonCodeName(0x11), 'No subscription existed')
    assert.equal(reasonCodeName(0x18), 'Continue authentication')
    assert.equal(reasonCodeName(0x19), 'Re-authenticate')
    assert.equal(reasonCodeName(0x80), 'Unspecified error')
    assert.equal(reasonCodeName(0x81), 'Malformed Packet')
    assert.equal(reasonCodeName(0x87, 'suback'), 'Not authorized')
    assert.equal(reasonCodeName(0x95), 'Packet too large')
    assert.equal(reasonCodeName(0xa2), 'Wildcard Subscriptions not supported')
  })

  test('a code used with a packet type that does not define it still gets its name', () => {
    assert.equal(reasonCodeName(0x04, 'puback'), 'Disconnect with Will Message')
  })

  test('unknown codes', () => {
    assert.equal(reasonCodeName(0x03), 'Unknown reason code 0x03')
    assert.equal(reasonCodeName(0xa3), 'Unknown reason code 0xa3')
  })

  test('named constants agree with the names', () => {
    assert.equal(reasonCodeName(ReasonCode.SessionTakenOver), 'Session taken over')
    assert.equal(reasonCodeName(ReasonCode.QuotaExceeded), 'Quota exceeded')
    assert.equal(ReasonCode.WildcardSubscriptionsNotSupported, 0xa2)
  })
})

test('isFailure: 0x80 and above', () => {
  assert.equal(isFailure(0x00), false)
  assert.equal(isFailure(0x7f), false)
  assert.equal(isFailure(0x80), true)
  assert.equal(isFailure(0xa2), true)
})

describe('connackString (Paho)', () => {
  test('3.1.1 return codes', () => {
    assert.equal(connackString(0), 'Connection Accepted.')
    assert.equal(connackString(1), 'Connection Refused: unacceptable protocol version.')
    assert.equal(connackString(2), 'Connection Refused: identifier rejected.')
    assert.equal(connackString(3), 'Connection Refused: broker unavailable.')
    assert.equal(connackString(4), 'Connection Refused: bad user name or password.')
    assert.equal(connackString(5), 'Connection Refused: not authorised.')
    assert.equal(connackString(6), 'Connection Refused: unknown reason.')
  })

  test('MQTT 5 reason codes read as their names', () => {
    assert.equal(connackString(0x86), 'Bad User Name or Password')
    assert.equal(connackString(0x9f), 'Connection rate exceeded')
    assert.equal(connackString(0, 5), 'Success')
    assert.equal(connackString(0x8b), 'Connection Refused: unknown reason.') // not a CONNACK code
  })
})

describe('errorString (Paho)', () => {
  test('MQTT_ERR numbering', () => {
    assert.deepEqual(Object.entries(MQTT_ERR), [
      ['AGAIN', -1],
      ['SUCCESS', 0],
      ['NOMEM', 1],
      ['PROTOCOL', 2],
      ['INVAL', 3],
      ['NO_CONN', 4],
      ['CONN_REFUSED', 5],
      ['NOT_FOUND', 6],
      ['CONN_LOST', 7],
      ['TLS', 8],
      ['PAYLOAD_SIZE', 9],
      ['NOT_SUPPORTED', 10],
      ['AUTH', 11],
      ['ACL_DENIED', 12],
      ['UNKNOWN', 13],
      ['ERRNO', 14],
      ['QUEUE_SIZE', 15],
      ['KEEPALIVE', 16],
    ])
  })

  test('texts', () => {
    assert.equal(errorString(MQTT_ERR.SUCCESS), 'No error.')
    assert.equal(errorString(MQTT_ERR.NOMEM), 'Out of memory.')
    assert.equal(errorString(MQTT_ERR.NO_CONN), 'The client is not currently connected.')
    assert.equal(errorString(MQTT_ERR.CONN_LOST), 'The connection was lost.')
    assert.equal(errorString(MQTT_ERR.QUEUE_SIZE), 'Message queue full.')
    assert.equal(errorString(MQTT_ERR.KEEPALIVE), 'Client or broker did not communicate in the keepalive interval.')
    assert.equal(errorString(MQTT_ERR.AGAIN), 'Unknown error.')
    assert.equal(errorString(99), 'Unknown error.')
    for (let errno = 0; errno <= 16; errno++) assert.ok(errorString(errno).endsWith('.'))
  })
})
