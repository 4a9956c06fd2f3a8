import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { topicMatches, validateTopicFilter, validateTopicName } from '../../src/packet/topic.js'

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.equal((error as { code?: string }).code, code)
    return true
  })
}

// Paho Python's tests/test_matcher.py vectors for topic_matches_sub.
const PAHO_MATCHING: [filter: string, topic: string][] = [
  ['foo/bar', 'foo/bar'],
  ['foo/+', 'foo/bar'],
  ['foo/+/baz', 'foo/bar/baz'],
  ['foo/+/#', 'foo/bar/baz'],
  ['A/B/+/#', 'A/B/B/C'],
  ['#', 'foo/bar/baz'],
  ['#', '/foo/bar'],
  ['/#', '/foo/bar'],
  ['$SYS/bar', '$SYS/bar'],
]
const PAHO_NOT_MATCHING: [filter: string, topic: string][] = [
  ['test/6/#', 'test/3'],
  ['foo/bar', 'foo'],
  ['foo/+', 'foo/bar/baz'],
  ['foo/+/baz', 'foo/bar/bar'],
  ['foo/+/#', 'fo2/bar/baz'],
  ['/#', 'foo/bar'],
  ['#', '$SYS/bar'],
  ['$BOB/bar', '$SYS/bar'],
]

// Examples of MQTT 5.0 section 4.7 and further edge cases.
const SPEC_MATCHING: [filter: string, topic: string][] = [
  ['sport/tennis/player1/#', 'sport/tennis/player1'],
  ['sport/tennis/player1/#', 'sport/tennis/player1/ranking'],
  ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon'],
  ['sport/#', 'sport'], // '#' also matches the parent level [MQTT-4.7.1-2]
  ['sport/tennis/+', 'sport/tennis/player1'],
  ['sport/+', 'sport/'],
  ['+/+', '/finance'],
  ['/+', '/finance'],
  ['+', 'a'],
  ['+/#', 'a'],
  ['a//b', 'a//b'],
  ['a/+/b', 'a//b'],
  ['+/', 'a/'],
  ['//', '//'],
  ['/', '/'],
  ['A', 'A'],
  ['ü/+', 'ü/ñ'],
  ['$SYS/#', '$SYS'],
  ['$SYS/#', '$SYS/broker/load'],
  ['$SYS/+/load', '$SYS/broker/load'],
  ['$', '$'],
  ['a/$SYS', 'a/$SYS'],
  ['+/$SYS', 'a/$SYS'], // the $ rule is about the first level only
]
const SPEC_NOT_MATCHING: [filter: string, topic: string][] = [
  ['sport/tennis/+', 'sport/tennis/player1/ranking'],
  ['sport/tennis/+', 'sport/tennis'],
  ['sport/+', 'sport'],
  ['+', '/finance'],
  ['+', 'a/b'],
  ['a', 'A'], // case-sensitive
  ['a', 'a '], // no trimming
  ['a/b', 'a/b/'],
  ['a/b/', 'a/b'],
  ['/a', 'a'],
  // [MQTT-4.7.2-1]: a wildcard first level does not match topics starting with '$'
  ['#', '$SYS'],
  ['+', '$SYS'],
  ['+/monitor/Clients', '$SYS/monitor/Clients'],
  ['+/#', '$SYS/broker'],
  ['#', '$'],
  ['+', '$share'],
]

describe('topicMatches', () => {
  for (const [filter, topic] of [...PAHO_MATCHING, ...SPEC_MATCHING]) {
    test(`${JSON.stringify(filter)} matches ${JSON.stringify(topic)}`, () => {
      assert.equal(topicMatches(filter, topic), true)
    })
  }
  for (const [filter, topic] of [...PAHO_NOT_MATCHING, ...SPEC_NOT_MATCHING]) {
    test(`${JSON.stringify(filter)} does not match ${JSON.stringify(topic)}`, () => {
      assert.equal(topicMatches(filter, topic), false)
    })
  }

  test('shared subscriptions match by their inner filter', () => {
    assert.equal(topicMatches('$share/group/sport/+', 'sport/tennis'), true)
    assert.equal(topicMatches('$share/group/#', 'a/b/c'), true)
    assert.equal(topicMatches('$share/group/a/b', 'a/b'), true)
    assert.equal(topicMatches('$share/group/a/b', 'a/c'), false)
    assert.equal(topicMatches('$share/group/a/b', '$share/group/a/b'), false)
    assert.equal(topicMatches('$share/group/#', '$SYS/x'), false) // the $ rule applies to the inner filter
    assert.equal(topicMatches('$share/group/$SYS/#', '$SYS/x'), true)
  })

  test('an invalid filter or topic throws instead of answering', () => {
    assertCode(() => topicMatches('a/#/b', 'a/x/b'), 'ERR_TOPIC_FILTER')
    assertCode(() => topicMatches('', 'a'), 'ERR_TOPIC_FILTER')
    assertCode(() => topicMatches('a/+', 'a/+'), 'ERR_TOPIC_NAME')
    assertCode(() => topicMatches('#', ''), 'ERR_TOPIC_NAME')
  })
})

describe('validateTopicFilter', () => {
  const valid = [
    '#',
    '+',
    '+/+',
    '/',
    'a/#',
    '+/tennis/#',
    'sport/+/player1',
    '/+',
    '+/',
    'a//b',
    '$SYS/#',
    '$share/group/a/b',
    '$share/group/#',
    '$share/g/+/x/#',
    '$share/g//',
    'a b/c',
    'ü',
    'a'.repeat(65535),
  ]
  for (const filter of valid) {
    test(`accepts ${JSON.stringify(filter.slice(0, 40))}`, () => {
      assert.doesNotThrow(() => validateTopicFilter(filter))
    })
  }

  const invalid = [
    '', // [MQTT-4.7.3-1]
    'a#',
    '#a',
    'a/#/b', // [MQTT-4.7.1-2]
    '#/',
    '#/a',
    '##',
    'a/b#',
    'a+',
    '+a',
    'a/+b', // [MQTT-4.7.1-3]
    'a/b+/c',
    '++',
    '+#',
    '$share', // not shared: '$share' alone would be ambiguous, brokers reject it
    '$share/',
    '$share/group', // [MQTT-4.8.2-1]: needs a filter after the share name
    '$share/group/', // the inner filter is empty
    '$share//a', // empty share name
    '$share/+/a', // [MQTT-4.8.2-2]
    '$share/#/a',
    '$share/#',
    '$share/g+/a',
  ]
  for (const filter of invalid) {
    test(`rejects ${JSON.stringify(filter)} with ERR_TOPIC_FILTER`, () => {
      assertCode(() => validateTopicFilter(filter), 'ERR_TOPIC_FILTER')
    })
  }
})

describe('validateTopicName', () => {
  for (const topic of ['a', '/', 'a/b', '$SYS/x', 'a b', 'ü/ñ', '//', '$share/g/a']) {
    test(`accepts ${JSON.stringify(topic)}`, () => {
      assert.doesNotThrow(() => validateTopicName(topic))
    })
  }
  for (const topic of ['', '#', '+', 'a/#', 'a/+/b', 'a+', 'a#b', '+/x']) {
    test(`rejects ${JSON.stringify(topic)} with ERR_TOPIC_NAME`, () => {
      assertCode(() => validateTopicName(topic), 'ERR_TOPIC_NAME') // [MQTT-3.3.2-2], [MQTT-4.7.3-1]
    })
  }
})
