// Paho's subscribe() argument forms: "topic" with a qos, a (topic, qos) tuple, or a list of tuples; the
// qos may be an MQTT 5 SubscribeOptions object. Checked at once, as Paho raises ValueError at once.
import { InvalidArgumentError } from '../client/errors.js'
import type { SubscriptionRequest } from '../client/requests.js'
import { validateTopicFilter } from '../packet/topic.js'
import type { QoS } from '../packet/types.js'

/** Paho 2's SubscribeOptions (MQTT 5), camelCased. */
export interface SubscribeOptions {
  qos?: QoS
  noLocal?: boolean
  retainAsPublished?: boolean
  retainHandling?: 0 | 1 | 2
}

export type QosOrOptions = QoS | SubscribeOptions
export type SubscribeTopic = string | [topic: string, qos: QosOrOptions] | Array<[topic: string, qos: QosOrOptions]>

function request(topic: string, qos: QosOrOptions, bridge: boolean): SubscriptionRequest {
  if (typeof topic !== 'string') throw new InvalidArgumentError('a subscription needs a string topic')
  validateTopicFilter(topic)
  const options: SubscribeOptions = typeof qos === 'number' ? { qos } : { ...qos }
  const level = options.qos ?? 0
  if (level !== 0 && level !== 1 && level !== 2) throw new InvalidArgumentError(`invalid QoS ${String(level)}`)
  // Bridge mode (MQTT 5): do not echo our own messages back, keep the retain flag as published.
  if (bridge) return { topic, noLocal: true, retainAsPublished: true, ...options, qos: level }
  return { topic, ...options, qos: level }
}

function isTuple(value: unknown): value is [string, QosOrOptions] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !Array.isArray(value[1])
}

/** The subscriptions a subscribe() call asks for. Throws InvalidArgumentError / MalformedPacketError. */
export function subscriptionRequests(topic: SubscribeTopic, qos: QosOrOptions, bridge: boolean): SubscriptionRequest[] {
  if (typeof topic === 'string') return [request(topic, qos, bridge)]
  if (isTuple(topic)) return [request(topic[0], topic[1], bridge)]
  if (!Array.isArray(topic) || topic.length === 0) {
    throw new InvalidArgumentError('subscribe takes a topic, a [topic, qos] pair, or a non-empty list of pairs')
  }
  return topic.map((entry) => {
    if (!isTuple(entry)) throw new InvalidArgumentError('each entry of the list must be a [topic, qos] pair')
    return request(entry[0], entry[1], bridge)
  })
}
