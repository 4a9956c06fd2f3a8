// What the server allows, from its CONNACK properties (MQTT 5 section 3.2.2.3), and the checks that keep
// our packets within it. MQTT 3.1 / 3.1.1 servers announce nothing: everything is allowed.
import type { ConnackPacket, Properties, QoS, Subscription } from '../packet/types.js'
import { SessionError } from './errors.js'

export interface ServerLimits {
  maximumQoS: QoS
  retainAvailable: boolean
  wildcardSubscriptions: boolean
  sharedSubscriptions: boolean
  subscriptionIdentifiers: boolean
  /** Bytes; Infinity when the server gave none. */
  maximumPacketSize: number
  topicAliasMaximum: number
  receiveMaximum: number
}

export const NO_LIMITS: Readonly<ServerLimits> = {
  maximumQoS: 2,
  retainAvailable: true,
  wildcardSubscriptions: true,
  sharedSubscriptions: true,
  subscriptionIdentifiers: true,
  maximumPacketSize: Number.POSITIVE_INFINITY,
  topicAliasMaximum: 0,
  receiveMaximum: 65_535,
}

export function limitsFromConnack(connack: ConnackPacket): ServerLimits {
  const p: Properties = connack.properties ?? {}
  return {
    maximumQoS: p.maximumQoS ?? 2,
    retainAvailable: p.retainAvailable ?? true,
    wildcardSubscriptions: p.wildcardSubscriptionAvailable ?? true,
    sharedSubscriptions: p.sharedSubscriptionAvailable ?? true,
    subscriptionIdentifiers: p.subscriptionIdentifiersAvailable ?? true,
    maximumPacketSize: p.maximumPacketSize ?? Number.POSITIVE_INFINITY,
    topicAliasMaximum: p.topicAliasMaximum ?? 0,
    receiveMaximum: p.receiveMaximum ?? 65_535,
  }
}

/**
 * Why the server would refuse this PUBLISH, if it would. A QoS above Maximum QoS is refused rather than
 * downgraded [MQTT-3.2.2-11]: a silent downgrade would break the delivery promise the caller asked for.
 * A retained message on a server without retain support is refused the same way [MQTT-3.2.2-14].
 */
export function publishRefusal(limits: ServerLimits, qos: QoS, retain: boolean): SessionError | undefined {
  if (qos > limits.maximumQoS) {
    return new SessionError('ERR_QOS_NOT_SUPPORTED', `the server accepts QoS up to ${limits.maximumQoS}`, 0x9b)
  }
  if (retain && !limits.retainAvailable) {
    return new SessionError('ERR_RETAIN_NOT_SUPPORTED', 'the server does not support retained messages', 0x9a)
  }
  return undefined
}

/**
 * Why the server would refuse this SUBSCRIBE as a whole, if it would. A subscription QoS above Maximum
 * QoS is fine: the server grants what it can and says so in the SUBACK.
 */
export function subscribeRefusal(
  limits: ServerLimits,
  subscriptions: Subscription[],
  properties: Properties | undefined,
): SessionError | undefined {
  for (const { topic } of subscriptions) {
    if (!limits.sharedSubscriptions && topic.startsWith('$share/')) {
      return new SessionError('ERR_SHARED_NOT_SUPPORTED', 'the server does not support shared subscriptions', 0x9e)
    }
    if (!limits.wildcardSubscriptions && (topic.includes('+') || topic.includes('#'))) {
      return new SessionError('ERR_WILDCARD_NOT_SUPPORTED', 'the server does not support wildcard subscriptions', 0xa2)
    }
  }
  if (!limits.subscriptionIdentifiers && properties?.subscriptionIdentifier !== undefined) {
    return new SessionError(
      'ERR_SUBSCRIPTION_ID_NOT_SUPPORTED',
      'the server does not support subscription identifiers',
      0xa1,
    )
  }
  return undefined
}
