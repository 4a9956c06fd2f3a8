// Argument checks for publish / subscribe / unsubscribe. They throw typed errors synchronously, so that a
// packet the server must reject never leaves the client.

import { validateTopicFilter, validateTopicName } from '../packet/topic.js'
import type { Properties, ProtocolVersion, Subscription } from '../packet/types.js'
import { utf8Length } from '../packet/utf8.js'
import type { OutgoingMessage } from './api.js'
import { invalidArgument } from './errors.js'

const MAX_SUBSCRIPTION_ID = 268_435_455

function checkQos(qos: unknown, what: string): void {
  // [MQTT-3.3.1-4]: QoS 3 is never sent.
  if (qos !== 0 && qos !== 1 && qos !== 2) throw invalidArgument(`${what} QoS must be 0, 1 or 2, got ${String(qos)}`)
}

/** `topicAliasMaximum` is the server's (from its last CONNACK; 0 when it allows none). */
export function validatePublish(message: OutgoingMessage, version: ProtocolVersion, topicAliasMaximum: number): void {
  checkQos(message.qos, 'PUBLISH')
  if (!(message.payload instanceof Uint8Array)) throw invalidArgument('the payload must be a Uint8Array')
  const properties = version === 5 ? message.properties : undefined
  const alias = properties?.topicAlias
  if (alias !== undefined) {
    // [MQTT-3.2.2-17] [MQTT-3.3.2-8] [MQTT-3.3.2-9]: 1..the server's Topic Alias Maximum.
    if (!Number.isInteger(alias) || alias < 1 || alias > topicAliasMaximum) {
      throw invalidArgument(`topic alias ${alias} is outside 1..${topicAliasMaximum} (the server's maximum)`)
    }
  }
  // [MQTT-3.3.2-2] [MQTT-4.7.0-1]: no wildcards; an empty topic only with an alias the server knows.
  if (message.topic !== '' || alias === undefined) validateTopicName(message.topic)
  utf8Length(message.topic) // [MQTT-4.7.3-2] [MQTT-4.7.3-3] [MQTT-1.5.4-1] [MQTT-1.5.4-2]
  if (properties?.subscriptionIdentifier !== undefined) {
    throw invalidArgument('a client PUBLISH carries no Subscription Identifier') // [MQTT-3.3.4-6]
  }
  const responseTopic = properties?.responseTopic
  if (responseTopic !== undefined) validateTopicName(responseTopic) // [MQTT-3.3.2-14]
}

export function validateSubscriptions(
  subscriptions: Subscription[],
  properties: Properties | undefined,
  version: ProtocolVersion,
): void {
  if (subscriptions.length === 0) throw invalidArgument('SUBSCRIBE needs at least one topic filter') // [MQTT-3.8.3-2]
  for (const sub of subscriptions) {
    validateTopicFilter(sub.topic) // [MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.8.2-1] [MQTT-4.8.2-2]
    utf8Length(sub.topic) // [MQTT-4.7.3-2] [MQTT-4.7.3-3]
    checkQos(sub.qos, 'subscription')
    if (version !== 5) continue
    if (sub.noLocal && sub.topic.startsWith('$share/')) {
      throw invalidArgument('No Local cannot be set on a shared subscription') // [MQTT-3.8.3-4]
    }
    if (sub.retainHandling !== undefined && ![0, 1, 2].includes(sub.retainHandling)) {
      throw invalidArgument('retain handling must be 0, 1 or 2')
    }
  }
  const id = version === 5 ? properties?.subscriptionIdentifier : undefined
  if (id !== undefined && (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > MAX_SUBSCRIPTION_ID)) {
    throw invalidArgument(`a subscription identifier is one integer 1..${MAX_SUBSCRIPTION_ID}`)
  }
}

export function validateUnsubscribe(topics: string[]): void {
  if (topics.length === 0) throw invalidArgument('UNSUBSCRIBE needs at least one topic filter') // [MQTT-3.10.3-2]
  for (const topic of topics) {
    validateTopicFilter(topic)
    utf8Length(topic)
  }
}
