// Operations waiting for the session's answer, keyed by the session's token: publish handles,
// SUBSCRIBE / UNSUBSCRIBE promises, and the client's own resubscriptions.
import type { MqttError } from '../packet/errors.js'
import type { Properties, QoS, Subscription } from '../packet/types.js'
import type { SessionApi, Token } from '../session/api.js'
import type { StoredSubscription } from '../session/store.js'
import { asMqttError, InvalidArgumentError } from './errors.js'
import { type Payload, toPayloadBytes } from './payload.js'
import { PublishHandle } from './publish-handle.js'
import type { SubscribeResult, UnsubscribeResult } from './types.js'

/** A filter with its own options; `qos` defaults to the call's `qos` option. */
export type SubscriptionRequest = { topic: string } & Partial<Omit<Subscription, 'topic'>>

export type SubscribeRequestInput = string | SubscriptionRequest | Array<string | SubscriptionRequest>

interface SubscriptionDefaults {
  qos?: QoS
  noLocal?: boolean
  retainAsPublished?: boolean
  retainHandling?: 0 | 1 | 2
}

export function toSubscriptions(input: SubscribeRequestInput, defaults: SubscriptionDefaults): Subscription[] {
  const list = Array.isArray(input) ? input : [input]
  if (list.length === 0) throw new InvalidArgumentError('subscribe needs at least one topic filter')
  return list.map((entry) => {
    const request: SubscriptionRequest = typeof entry === 'string' ? { topic: entry } : entry
    if (typeof request?.topic !== 'string') throw new InvalidArgumentError('a subscription needs a string topic')
    const subscription: Subscription = { topic: request.topic, qos: request.qos ?? defaults.qos ?? 0 }
    const noLocal = request.noLocal ?? defaults.noLocal
    const retainAsPublished = request.retainAsPublished ?? defaults.retainAsPublished
    const retainHandling = request.retainHandling ?? defaults.retainHandling
    if (noLocal !== undefined) subscription.noLocal = noLocal
    if (retainAsPublished !== undefined) subscription.retainAsPublished = retainAsPublished
    if (retainHandling !== undefined) subscription.retainHandling = retainHandling
    return subscription
  })
}

interface PendingRequest {
  kind: 'subscribe' | 'unsubscribe' | 'resubscribe'
  topics: string[]
  resolve(results: SubscribeResult[] | UnsubscribeResult[]): void
  reject(error: MqttError): void
}

export class PendingRequests {
  // Made on first use: an idle client keeps no empty Maps.
  #publishes: Map<Token, PublishHandle> | undefined
  #requests: Map<Token, PendingRequest> | undefined

  /** Nothing is waiting for the session. */
  get isEmpty(): boolean {
    return (this.#publishes?.size ?? 0) === 0 && (this.#requests?.size ?? 0) === 0
  }

  /** Hands a publish to the session; any failure (closed client, bad input, full queue) rejects the handle. */
  publish(
    session: SessionApi,
    closed: MqttError | undefined,
    topic: string,
    payload: Payload,
    options: { qos?: QoS; retain?: boolean; properties?: Properties },
    now: number,
  ): PublishHandle {
    const qos = options.qos ?? 0
    if (closed !== undefined) return PublishHandle.failed(qos, closed)
    try {
      const message = { topic, payload: toPayloadBytes(payload), qos, retain: options.retain ?? false }
      const { token, packetId } = session.publish(
        options.properties === undefined ? message : { ...message, properties: options.properties },
        now,
      )
      const handle = new PublishHandle(qos, packetId)
      this.#publishes ??= new Map()
      this.#publishes.set(token, handle)
      return handle
    } catch (error) {
      return PublishHandle.failed(qos, asMqttError(error, 'ERR_INVALID_ARGUMENT'))
    }
  }

  /** A publish queued while every packet id was in use got its id. */
  assignPacketId(token: Token, packetId: number): void {
    this.#publishes?.get(token)?.assignPacketId(packetId)
  }

  takePublish(token: Token): PublishHandle | undefined {
    const handle = this.#publishes?.get(token)
    if (handle !== undefined) this.#publishes!.delete(token)
    return handle
  }

  addSubscribe(token: Token, topics: string[]): Promise<SubscribeResult[]> {
    return new Promise((resolve, reject) => {
      this.#addRequest(token, { kind: 'subscribe', topics, resolve: resolve as PendingRequest['resolve'], reject })
    })
  }

  addUnsubscribe(token: Token, topics: string[]): Promise<UnsubscribeResult[]> {
    return new Promise((resolve, reject) => {
      this.#addRequest(token, { kind: 'unsubscribe', topics, resolve: resolve as PendingRequest['resolve'], reject })
    })
  }

  /** A resubscription the client made itself: nobody awaits it; failures are reported through `onFailure`. */
  addResubscribe(token: Token, topics: string[], onFailure: (error: MqttError) => void): void {
    this.#addRequest(token, {
      kind: 'resubscribe',
      topics,
      resolve: (results) => {
        const refused = results.filter((result) => result.reasonCode >= 0x80).map((result) => result.topic)
        if (refused.length > 0) {
          onFailure(new InvalidArgumentError(`the server refused to resubscribe to ${refused.join(', ')}`))
        }
      },
      reject: onFailure,
    })
  }

  #addRequest(token: Token, request: PendingRequest): void {
    this.#requests ??= new Map()
    this.#requests.set(token, request)
  }

  #takeRequest(token: Token): PendingRequest | undefined {
    const request = this.#requests?.get(token)
    if (request !== undefined) this.#requests!.delete(token)
    return request
  }

  /** SUBACK / UNSUBACK arrived: one result per filter, in request order. */
  settle(token: Token, reasonCodes: number[]): void {
    const request = this.#takeRequest(token)
    if (request === undefined) return
    if (request.kind === 'unsubscribe') {
      // 3.1 / 3.1.1 UNSUBACKs carry no codes: success for every filter.
      request.resolve(request.topics.map((topic, i) => ({ topic, reasonCode: reasonCodes[i] ?? 0 })))
      return
    }
    request.resolve(
      request.topics.map((topic, i) => {
        const reasonCode = reasonCodes[i] ?? 0x80
        return reasonCode < 0x80 ? { topic, qos: reasonCode as QoS, reasonCode } : { topic, reasonCode }
      }),
    )
  }

  fail(token: Token, error: MqttError): void {
    this.#takeRequest(token)?.reject(error)
  }

  /** The client is closing: nothing pending may be left hanging. */
  failAll(error: MqttError): void {
    const publishes = this.#publishes
    this.#publishes = undefined
    for (const handle of publishes?.values() ?? []) handle.settleFailure(error)
    const requests = [...(this.#requests?.values() ?? [])]
    this.#requests = undefined
    for (const request of requests) if (request.kind !== 'resubscribe') request.reject(error)
  }
}

/**
 * The remembered subscriptions as SUBSCRIBE requests: filters that shared a Subscription Identifier and
 * user properties go out together again, so the server tags their messages as before.
 */
export function groupForResubscribe(
  stored: StoredSubscription[],
): Array<{ subscriptions: Subscription[]; properties?: Properties }> {
  const groups = new Map<string, { subscriptions: Subscription[]; properties?: Properties }>()
  for (const { subscriptionIdentifier, userProperties, ...subscription } of stored) {
    const key = JSON.stringify([subscriptionIdentifier, userProperties])
    let group = groups.get(key)
    if (group === undefined) {
      const properties: Properties = {}
      if (subscriptionIdentifier !== undefined) properties.subscriptionIdentifier = subscriptionIdentifier
      if (userProperties !== undefined) properties.userProperties = userProperties
      group = Object.keys(properties).length > 0 ? { subscriptions: [], properties } : { subscriptions: [] }
      groups.set(key, group)
    }
    group.subscriptions.push(subscription)
  }
  return [...groups.values()]
}
