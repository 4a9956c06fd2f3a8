// The session orchestrator: implements SessionApi by routing packets and commands to the parts that own
// each job (connect, outgoing and incoming flows, requests, topic aliases, keepalive, auth) and by turning
// their results into bytes and events. Nothing is thrown from receive / tick / connectionLost: failures
// become `error` + `close` events (with a DISCONNECT carrying the reason code first, in MQTT 5).
// The parts: core.ts (shared state, write / emit / fail), inbound.ts (packet dispatch) and the handlers of
// each flow (connack.ts, publish-received.ts, publish-acks.ts, request-acks.ts), transmit.ts (encode and
// send), queue-admission.ts (maxQueued and the overflow policy).
import type { MqttError } from '../packet/errors.js'
import { isValidReasonCode } from '../packet/reason-codes.js'
import type { DisconnectPacket, Packet, Properties, ProtocolVersion, Subscription } from '../packet/types.js'
import type {
  OutgoingMessage,
  ReceivedMessage,
  SessionApi,
  SessionEvent,
  SessionOptions,
  SessionState,
  SessionStats,
  Token,
} from './api.js'
import { buildConnect, cleanFlag, connectOptionsProblem } from './connect.js'
import { packetIdOf, SessionCore } from './core.js'
import { invalidArgument, SessionError } from './errors.js'
import { handlePacket, onDecodeError } from './inbound.js'
import { makeRoom } from './queue-admission.js'
import { publishRefusal, subscribeRefusal } from './server-limits.js'
import { MemorySessionStore, type StoredSubscription } from './store.js'
import { flushAcks, pump, sendRequest } from './transmit.js'
import { validatePublish, validateSubscriptions, validateUnsubscribe } from './validate.js'

export class Session implements SessionApi {
  private readonly s: SessionCore

  constructor(private readonly options: SessionOptions) {
    const { maxInflight } = options
    if (maxInflight !== undefined && (!Number.isInteger(maxInflight) || maxInflight < 1)) {
      throw invalidArgument('maxInflight must be a positive integer')
    }
    const store = options.store ?? new MemorySessionStore()
    const saved = store.load()
    const s = new SessionCore(options, clientIdFor(saved?.clientId, options), store)
    this.s = s
    const problem = connectOptionsProblem(options, s.version, s.clientId, options.clean ?? true)
    if (problem) throw problem
    if (saved) {
      s.outgoing.restore(saved.outgoing)
      s.incoming.restore(saved.incomingQos2)
      for (const sub of saved.subscriptions) s.subscriptions.set(sub.topic, sub)
      s.nextToken = s.outgoing.maxToken() + 1
    } else {
      store.setClientId(s.clientId)
    }
  }

  get state(): SessionState {
    return this.s.state
  }

  get protocolVersion(): ProtocolVersion {
    return this.s.version
  }

  get clientId(): string {
    return this.s.clientId
  }

  /** The subscriptions the server granted (and not unsubscribed), for resubscribing. */
  subscriptions(): StoredSubscription[] {
    return [...this.s.subscriptions.values()]
  }

  // ---- I/O layer calls -------------------------------------------------------------------------------

  open(now: number): void {
    const s = this.s
    s.lastNow = now
    s.resetConnection()
    const clean = cleanFlag(this.options, s.version, !s.connectedBefore)
    const problem = connectOptionsProblem(this.options, s.version, s.clientId, clean)
    if (problem) {
      s.state = 'disconnecting'
      s.emit({ type: 'connect-failed', error: problem, fatal: true })
      s.emit({ type: 'close', error: problem })
      return
    }
    s.state = 'connecting'
    s.cleanSent = clean
    s.decoder.protocolVersion = s.version
    s.decoder.maximumPacketSize = s.ourMaximumPacketSize()
    s.inAliases.reset(s.version === 5 ? (this.options.properties?.topicAliasMaximum ?? 0) : 0)
    // [MQTT-3.1.0-1]: CONNECT is the first packet on the connection.
    s.write(buildConnect(this.options, s.version, s.clientId, clean), now)
  }

  receive(bytes: Uint8Array, now: number): void {
    const s = this.s
    s.lastNow = now
    if (s.state !== 'connecting' && s.state !== 'connected') return
    for (let i = 0; i < bytes.length && s.firstBytes.length < 4; i++) s.firstBytes.push(bytes[i]!)
    s.keepalive.received(now)
    s.decoder.write(bytes)
    while (s.state === 'connecting' || s.state === 'connected') {
      let packet: Packet | undefined
      try {
        packet = s.decoder.read()
      } catch (error) {
        onDecodeError(s, error)
        return
      }
      if (packet === undefined) break
      try {
        handlePacket(s, packet, now)
      } catch (error) {
        // A failure while handling a packet (the store cannot write, ...) closes the connection that carried it,
        // before any ack for it goes out: the server sends it again [MQTT-4.8.0-2 in 3.1.1].
        s.failed(error)
        return
      }
    }
    if (s.outgoing.inflightCount === 0 && s.requests.size === 0) s.keepalive.answered()
  }

  tick(now: number): void {
    const s = this.s
    s.lastNow = now
    if (s.state !== 'connected') return
    const due = s.keepalive.due(now)
    if (due === 'ping') {
      s.write({ type: 'pingreq' }, now)
      s.keepalive.pinged(now)
    } else if (due === 'timeout') {
      const error = new SessionError('ERR_KEEPALIVE_TIMEOUT', 'no PINGRESP within the response timeout')
      s.emit({ type: 'error', error })
      s.requestClose(error)
    }
  }

  connectionLost(now: number, error?: MqttError): void {
    const s = this.s
    s.lastNow = now
    const was = s.state
    s.state = 'offline'
    s.keepalive.stop()
    s.incoming.connectionLost()
    s.out = undefined
    const written = s.qos0Written
    s.qos0Written = undefined
    // The error is built only when someone is told (a graceful close usually tells nobody).
    if (written === undefined && was !== 'connecting') return
    const lost = error ?? new SessionError('ERR_CONNECTION_LOST', 'the connection closed')
    // QoS 0 bytes never handed to the transport are lost with it (at most once).
    for (const token of written ?? []) s.emit({ type: 'publish-failed', token, error: lost })
    if (was === 'connecting') s.emit({ type: 'connect-failed', error: lost, fatal: false })
  }

  // ---- commands --------------------------------------------------------------------------------------

  publish(given: OutgoingMessage, now: number): { token: Token; packetId?: number } {
    const s = this.s
    s.lastNow = now
    // Properties exist in MQTT 5 only: before 5 they are ignored (not checked, stored or sent).
    const message = s.version === 5 || given.properties === undefined ? given : withoutProperties(given)
    validatePublish(message, s.version, s.limits.topicAliasMaximum)
    const refusal = publishRefusal(s.limits, message.qos, message.retain)
    if (refusal) throw refusal
    const immediate = s.state === 'connected' && s.outgoing.canSendNow(message.qos)
    if (!immediate) makeRoom(s, message)
    // A message queued behind a full id space gets its id later: `publish-id` says which [MQTT-2.2.1-3].
    const packetId = message.qos > 0 ? s.outgoing.idForNewMessage() : undefined
    const token = s.nextToken++
    s.outgoing.add(message, token, packetId) // a store error rejects the publish: nothing is queued
    // The message is stored; a store error while sending it drops the connection, and it goes again later.
    if (s.state === 'connected') {
      try {
        pump(s, now)
      } catch (error) {
        s.failed(error)
      }
    }
    return packetId === undefined ? { token } : { token, packetId }
  }

  subscribe(subscriptions: Subscription[], properties: Properties | undefined, now: number): Token {
    const s = this.s
    s.lastNow = now
    validateSubscriptions(subscriptions, properties, s.version)
    const refusal = subscribeRefusal(s.limits, subscriptions, properties)
    if (refusal) throw refusal
    const token = s.nextToken++
    const request = s.requests.add({ kind: 'subscribe', token, subscriptions, properties })
    if (s.state === 'connected') sendRequest(s, request.packetId, now)
    return token
  }

  unsubscribe(topics: string[], properties: Properties | undefined, now: number): Token {
    const s = this.s
    s.lastNow = now
    validateUnsubscribe(topics)
    const token = s.nextToken++
    const request = s.requests.add({ kind: 'unsubscribe', token, topics, properties })
    if (s.state === 'connected') sendRequest(s, request.packetId, now)
    return token
  }

  disconnect(now: number, options: { reasonCode?: number; properties?: Properties } = {}): void {
    const s = this.s
    s.lastNow = now
    const expiry = options.properties?.sessionExpiryInterval
    // [MQTT-3.14.2-2]: a session that was to end with the connection cannot be given an expiry afterwards.
    if (expiry !== undefined && expiry > 0 && (this.options.properties?.sessionExpiryInterval ?? 0) === 0) {
      throw invalidArgument('a non-zero session expiry in DISCONNECT needs a non-zero one in CONNECT')
    }
    const reasonCode = options.reasonCode ?? 0
    if (s.version === 5 && !isValidReasonCode('disconnect', reasonCode)) {
      throw invalidArgument(`0x${reasonCode.toString(16)} is not a DISCONNECT reason code`)
    }
    if (s.state !== 'connecting' && s.state !== 'connected') return
    const packet: DisconnectPacket = { type: 'disconnect' }
    if (s.version === 5) {
      packet.reasonCode = reasonCode
      if (options.properties) packet.properties = options.properties
    }
    s.write(packet, now)
    // [MQTT-3.14.4-1] [MQTT-3.14.4-2]: nothing more on this connection; close it.
    s.requestClose(undefined)
  }

  reauthenticate(now: number, properties?: Properties): void {
    const s = this.s
    s.lastNow = now
    const packet = s.version === 5 ? s.auth.reauthenticate(properties) : undefined
    if (!packet) throw invalidArgument('re-authentication needs MQTT 5 and an authenticator')
    if (s.state !== 'connected') throw new SessionError('ERR_NOT_CONNECTED', 're-authentication needs a connection')
    s.write(packet, now)
  }

  ack(message: ReceivedMessage, reasonCode = 0): void {
    const s = this.s
    if (!this.options.manualAck || message.qos === 0 || message.packetId === undefined) return
    const type = message.qos === 1 ? 'puback' : 'pubrec'
    if (s.version === 5 ? !isValidReasonCode(type, reasonCode) : reasonCode !== 0) {
      throw invalidArgument(`0x${reasonCode.toString(16)} is not a ${type.toUpperCase()} reason code`)
    }
    if (!s.incoming.ack(message.packetId, message.qos, reasonCode)) return
    if (s.state !== 'connected') return
    try {
      flushAcks(s, s.lastNow)
    } catch (error) {
      s.failed(error)
    }
  }

  abandon(error: MqttError): void {
    const s = this.s
    for (const record of s.outgoing.all()) {
      s.emit({ type: 'publish-failed', token: record.token, ...packetIdOf(record), error })
    }
    // Memory only: a durable store keeps the messages for the next session opened on it.
    s.outgoing.forget()
    for (const request of s.requests.takeAll()) s.emit({ type: 'request-failed', token: request.token, error })
  }

  stats(): SessionStats {
    const { outgoing, counters } = this.s
    return {
      queued: outgoing.queuedCount,
      queuedBytes: outgoing.queuedBytes,
      inflight: outgoing.inflightCount,
      ...counters,
    }
  }

  takeOutgoing(): Uint8Array[] {
    const s = this.s
    const out = s.out ?? NOTHING
    s.out = undefined
    const written = s.qos0Written
    s.qos0Written = undefined
    if (written !== undefined) for (const token of written) s.emit({ type: 'publish-done', token })
    return out
  }

  takeEvents(): SessionEvent[] {
    const events = this.s.events ?? NOTHING
    this.s.events = undefined
    return events
  }

  nextDeadline(): number | undefined {
    return this.s.state === 'connected' ? this.s.keepalive.nextDeadline() : undefined
  }
}

/** What take*() return when there is nothing: shared, never written to. */
const NOTHING: never[] = []

/**
 * A stored session belongs to its client id: opening it with another one given by the user is an error. A
 * generated id (or '' for one the server assigns) gives way to the stored one.
 */
function clientIdFor(stored: string | undefined, options: SessionOptions): string {
  if (!stored || stored === options.clientId) return options.clientId
  if (options.clientId === '' || options.clientIdGenerated) return stored
  throw new SessionError(
    'ERR_STORE_CLIENT_ID',
    `the store holds the session of client id '${stored}', not '${options.clientId}'`,
  )
}

function withoutProperties({ properties: _ignored, ...message }: OutgoingMessage): OutgoingMessage {
  return message
}
