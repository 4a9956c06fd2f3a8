// Topic names, topic filters and matching (MQTT 5 section 4.7; 3.1.1 section 4.7).
import { MalformedPacketError } from './errors.js'

/** Throws unless `topic` is a valid topic name for PUBLISH: non-empty, no wildcards [MQTT-3.3.2-2]. */
export function validateTopicName(topic: string): void {
  if (topic.length === 0) throw new MalformedPacketError('ERR_TOPIC_NAME', 'topic name is empty') // [MQTT-4.7.3-1]
  if (topic.includes('+') || topic.includes('#')) {
    throw new MalformedPacketError('ERR_TOPIC_NAME', `topic name contains a wildcard: ${JSON.stringify(topic)}`)
  }
}

/**
 * Throws unless `filter` is a valid topic filter: non-empty [MQTT-4.7.3-1], `#` only as the whole last
 * level [MQTT-4.7.1-2], `+` only as a whole level [MQTT-4.7.1-3]. A shared subscription
 * (`$share/<name>/<filter>`) needs a non-empty share name without wildcards and a filter [MQTT-4.8.2-1].
 */
export function validateTopicFilter(filter: string): void {
  if (filter.length === 0) throw new MalformedPacketError('ERR_TOPIC_FILTER', 'topic filter is empty')
  const levels = filter.split('/')
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      throw new MalformedPacketError('ERR_TOPIC_FILTER', `'#' must be the whole last level: ${JSON.stringify(filter)}`)
    }
    if (level.includes('+') && level !== '+') {
      throw new MalformedPacketError('ERR_TOPIC_FILTER', `'+' must be a whole level: ${JSON.stringify(filter)}`)
    }
  }
  if (levels[0] === '$share') {
    const shareName = levels[1]
    const innerFilterEmpty = levels.length < 3 || (levels.length === 3 && levels[2] === '')
    if (shareName === undefined || shareName === '' || shareName === '+' || shareName === '#' || innerFilterEmpty) {
      throw new MalformedPacketError('ERR_TOPIC_FILTER', `invalid shared subscription: ${JSON.stringify(filter)}`)
    }
  }
}

/**
 * Whether `topic` matches `filter` (Paho's topic_matches_sub). Throws for an invalid filter or topic.
 * Wildcards at the first level do not match topics starting with `$` [MQTT-4.7.2-1]. A shared
 * subscription filter matches by its inner filter.
 */
export function topicMatches(filter: string, topic: string): boolean {
  validateTopicFilter(filter)
  validateTopicName(topic)
  const f = filter.startsWith('$share/') ? filter.split('/').slice(2) : filter.split('/')
  const t = topic.split('/')
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false
  for (let i = 0; i < f.length; i++) {
    const level = f[i]
    if (level === '#') return true // also matches the parent level: 'a/#' matches 'a' [MQTT-4.7.1-2]
    if (i >= t.length) return false
    if (level !== '+' && level !== t[i]) return false
  }
  return f.length === t.length
}
