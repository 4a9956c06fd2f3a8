// The session orchestrator: implements SessionApi by routing packets and commands to the parts that own
// each job (connect, outgoing and incoming flows, requests, topic aliases, keepalive, auth) and by turning
// their results into bytes and events. Nothing is thrown from receive / tick / connectionLost: failures
// become `error` + `close` events (with a DISCONNECT carrying the reason code first, in MQTT 5).
import { Decoder } from '../packet/decode.js'
import { MalformedPacketError, MqttError, PacketTooLargeError } from '../packet/errors.js'
import { isValidReasonCode } from '../packet/reason-codes.js'
import type {
  AckPacket,
  AuthPacket,
  ConnackPacket,
  DisconnectPacket,
  Packet,
  Properties,
  ProtocolVersion,
  PublishPacket,
  SubackPacket,
  Subscription,
  UnsubackPacket,
} from '../packet/types.js'
import { PROTOCOL_MAX_PACKET_SIZE } from '../packet/writer.js'
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
import { AuthExchange } from './auth.js'
import { buildConnect, cleanFlag, connectOptionsProblem, isLegacyVersionRefusal, readConnack } from './connect.js'
import { ConnectError, invalidArgument, PublishError, protocolError, SessionError } from './errors.js'
import { IncomingFlows } from './incoming.js'
import { Keepalive } from './keepalive.js'
import { OutgoingFlows, sizeOf } from './outgoing.js'
import { PacketIdAllocator } from './packet-ids.js'
import { encodeWithin } from './packet-size.js'
import { RequestTable } from './requests.js'
import { limitsFromConnack, NO_LIMITS, publishRefusal, type ServerLimits, subscribeRefusal } from './server-limits.js'
import { MemorySessionStore, type SessionStore, type StoredOutgoing, type StoredSubscription } from './store.js'
import { IncomingTopicAliases, OutgoingTopicAliases } from './topic-alias.js'
import { validatePublish, validateSubscriptions, validateUnsubscribe } from './validate.js'

export class Session implements SessionApi {
  private currentState: SessionState = 'offline'
  private version: ProtocolVersion
  private id: string
  private readonly pinned: boolean
  private readonly store: SessionStore
  private readonly ids = new PacketIdAllocator()
  private readonly outgoing: OutgoingFlows
  private readonly incoming: IncomingFlows
  private readonly requests: RequestTable
  private readonly subscriptionList = new Map<string, StoredSubscription>()
  private readonly inAliases = new IncomingTopicAliases()
  private readonly outAliases = new OutgoingTopicAliases()
  private readonly keepalive = new Keepalive()
  private readonly auth: AuthExchange
  private readonly decoder: Decoder
  private limits: ServerLimits = NO_LIMITS
  // Bytes, events and QoS 0 tokens waiting to be taken: arrays made on first push, so an idle session keeps
  // none and taking nothing allocates nothing.
  private out: Uint8Array[] | undefined
  private events: SessionEvent[] | undefined
  /** Tokens of QoS 0 messages whose bytes sit in `out`: done once takeOutgoing() hands them over. */
  private qos0Written: Token[] | undefined
  private nextToken = 1
  private readonly counters = { sent: 0, acked: 0, dropped: 0 }
  private connectedBefore = false
  private cleanSent = false
  /** The first bytes of a connection, to recognise a 3.1.1 CONNACK refusing an MQTT 5 CONNECT. */
  private firstBytes: number[] = []
  private lastNow = 0

  constructor(private readonly options: SessionOptions) {
    this.pinned = options.protocolVersion !== undefined
    this.version = options.protocolVersion ?? 5
    this.store = options.store ?? new MemorySessionStore()
    this.auth = new AuthExchange(options.authenticator)
    this.incoming = new IncomingFlows(this.store, options.manualAck ?? false)
    this.outgoing = new OutgoingFlows(this.ids, this.store)
    this.requests = new RequestTable(this.ids)
    this.outgoing.window = options.maxInflight ?? 65_535
    if (!Number.isInteger(this.outgoing.window) || this.outgoing.window < 1) {
      throw invalidArgument('maxInflight must be a positive integer')
    }
    const saved = this.store.load()
    this.id = clientIdFor(saved?.clientId, options)
    const problem = connectOptionsProblem(options, this.version, this.id, options.clean ?? true)
    if (problem) throw problem
    if (saved) {
      this.outgoing.restore(saved.outgoing)
      this.incoming.restore(saved.incomingQos2)
      for (const sub of saved.subscriptions) this.subscriptionList.set(sub.topic, sub)
      this.nextToken = this.outgoing.maxToken() + 1
    } else {
      this.store.setClientId(this.id)
    }
    this.decoder = new Decoder({ protocolVersion: this.version, maximumPacketSize: this.ourMaximumPacketSize() })
  }

  get state(): SessionState {
    return this.currentState
  }

  get protocolVersion(): ProtocolVersion {
    return this.version
  }

  get clientId(): string {
    return this.id
  }

  /** The subscriptions the server granted (and not unsubscribed), for resubscribing. */
  subscriptions(): StoredSubscription[] {
    return [...this.subscriptionList.values()]
  }

  // ---- I/O layer calls -------------------------------------------------------------------------------

  open(now: number): void {
    this.lastNow = now
    this.resetConnection()
    const clean = cleanFlag(this.options, this.version, !this.connectedBefore)
    const problem = connectOptionsProblem(this.options, this.version, this.id, clean)
    if (problem) {
      this.currentState = 'disconnecting'
      this.emit({ type: 'connect-failed', error: problem, fatal: true })
      this.emit({ type: 'close', error: problem })
      return
    }
    this.currentState = 'connecting'
    this.cleanSent = clean
    this.decoder.protocolVersion = this.version
    this.decoder.maximumPacketSize = this.ourMaximumPacketSize()
    this.inAliases.reset(this.version === 5 ? (this.options.properties?.topicAliasMaximum ?? 0) : 0)
    // [MQTT-3.1.0-1]: CONNECT is the first packet on the connection.
    this.write(buildConnect(this.options, this.version, this.id, clean), now)
  }

  receive(bytes: Uint8Array, now: number): void {
    this.lastNow = now
    if (this.currentState !== 'connecting' && this.currentState !== 'connected') return
    for (let i = 0; i < bytes.length && this.firstBytes.length < 4; i++) this.firstBytes.push(bytes[i]!)
    this.keepalive.received(now)
    this.decoder.write(bytes)
    while (this.currentState === 'connecting' || this.currentState === 'connected') {
      let packet: Packet | undefined
      try {
        packet = this.decoder.read()
      } catch (error) {
        this.onDecodeError(error)
        return
      }
      if (packet === undefined) break
      try {
        this.handle(packet, now)
      } catch (error) {
        // A failure while handling a packet (the store cannot write, ...) closes the connection that carried it,
        // before any ack for it goes out: the server sends it again [MQTT-4.8.0-2 in 3.1.1].
        this.failed(error)
        return
      }
    }
    if (this.outgoing.inflightCount === 0 && this.requests.size === 0) this.keepalive.answered()
  }

  tick(now: number): void {
    this.lastNow = now
    if (this.currentState !== 'connected') return
    const due = this.keepalive.due(now)
    if (due === 'ping') {
      this.write({ type: 'pingreq' }, now)
      this.keepalive.pinged(now)
    } else if (due === 'timeout') {
      const error = new SessionError('ERR_KEEPALIVE_TIMEOUT', 'no PINGRESP within the response timeout')
      this.emit({ type: 'error', error })
      this.requestClose(error)
    }
  }

  connectionLost(now: number, error?: MqttError): void {
    this.lastNow = now
    const was = this.currentState
    this.currentState = 'offline'
    this.keepalive.stop()
    this.incoming.connectionLost()
    this.out = undefined
    const written = this.qos0Written
    this.qos0Written = undefined
    // The error is built only when someone is told (a graceful close usually tells nobody).
    if (written === undefined && was !== 'connecting') return
    const lost = error ?? new SessionError('ERR_CONNECTION_LOST', 'the connection closed')
    // QoS 0 bytes never handed to the transport are lost with it (at most once).
    for (const token of written ?? []) this.emit({ type: 'publish-failed', token, error: lost })
    if (was === 'connecting') this.emit({ type: 'connect-failed', error: lost, fatal: false })
  }

  // ---- commands --------------------------------------------------------------------------------------

  publish(given: OutgoingMessage, now: number): { token: Token; packetId?: number } {
    this.lastNow = now
    // Properties exist in MQTT 5 only: before 5 they are ignored (not checked, stored or sent).
    const message = this.version === 5 || given.properties === undefined ? given : withoutProperties(given)
    validatePublish(message, this.version, this.limits.topicAliasMaximum)
    const refusal = publishRefusal(this.limits, message.qos, message.retain)
    if (refusal) throw refusal
    const immediate = this.currentState === 'connected' && this.outgoing.canSendNow(message.qos)
    if (!immediate) this.makeRoom(message)
    // A message queued behind a full id space gets its id later: `publish-id` says which [MQTT-2.2.1-3].
    const packetId = message.qos > 0 ? this.outgoing.idForNewMessage() : undefined
    const token = this.nextToken++
    this.outgoing.add(message, token, packetId) // a store error rejects the publish: nothing is queued
    // The message is stored; a store error while sending it drops the connection, and it goes again later.
    if (this.currentState === 'connected') {
      try {
        this.pump(now)
      } catch (error) {
        this.failed(error)
      }
    }
    return packetId === undefined ? { token } : { token, packetId }
  }

  /** Applies maxQueued / maxQueuedBytes to a message about to be queued: throws, or drops older ones. */
  private makeRoom(message: OutgoingMessage): void {
    const maxCount = this.options.maxQueued ?? 0
    const maxBytes = this.options.maxQueuedBytes ?? 0
    if (maxCount <= 0 && maxBytes <= 0) return
    const size = sizeOf(message)
    const full = () =>
      (maxCount > 0 && this.outgoing.queuedCount >= maxCount) ||
      (maxBytes > 0 && this.outgoing.queuedBytes + size > maxBytes)
    if (!full()) return
    const policy = this.options.queueOverflow ?? 'reject'
    const limit = `the queue is full (${this.outgoing.queuedCount} messages, ${this.outgoing.queuedBytes} bytes)`
    if (policy === 'drop-oldest') {
      while (full()) {
        const dropped = this.outgoing.dropOldest()
        if (!dropped) break
        this.counters.dropped++
        const error = new SessionError('ERR_DROPPED', 'dropped from the full queue for a newer message')
        this.emit({ type: 'publish-failed', token: dropped.token, ...packetIdOf(dropped), error })
      }
      if (!full()) return
    }
    if (policy === 'reject') throw new SessionError('ERR_QUEUE_FULL', limit)
    this.counters.dropped++
    throw new SessionError('ERR_DROPPED', limit)
  }

  subscribe(subscriptions: Subscription[], properties: Properties | undefined, now: number): Token {
    this.lastNow = now
    validateSubscriptions(subscriptions, properties, this.version)
    const refusal = subscribeRefusal(this.limits, subscriptions, properties)
    if (refusal) throw refusal
    const token = this.nextToken++
    const request = this.requests.add({ kind: 'subscribe', token, subscriptions, properties })
    if (this.currentState === 'connected') this.sendRequest(request.packetId, now)
    return token
  }

  unsubscribe(topics: string[], properties: Properties | undefined, now: number): Token {
    this.lastNow = now
    validateUnsubscribe(topics)
    const token = this.nextToken++
    const request = this.requests.add({ kind: 'unsubscribe', token, topics, properties })
    if (this.currentState === 'connected') this.sendRequest(request.packetId, now)
    return token
  }

  disconnect(now: number, options: { reasonCode?: number; properties?: Properties } = {}): void {
    this.lastNow = now
    const expiry = options.properties?.sessionExpiryInterval
    // [MQTT-3.14.2-2]: a session that was to end with the connection cannot be given an expiry afterwards.
    if (expiry !== undefined && expiry > 0 && (this.options.properties?.sessionExpiryInterval ?? 0) === 0) {
      throw invalidArgument('a non-zero session expiry in DISCONNECT needs a non-zero one in CONNECT')
    }
    const reasonCode = options.reasonCode ?? 0
    if (this.version === 5 && !isValidReasonCode('disconnect', reasonCode)) {
      throw invalidArgument(`0x${reasonCode.toString(16)} is not a DISCONNECT reason code`)
    }
    if (this.currentState !== 'connecting' && this.currentState !== 'connected') return
    const packet: DisconnectPacket = { type: 'disconnect' }
    if (this.version === 5) {
      packet.reasonCode = reasonCode
      if (options.properties) packet.properties = options.properties
    }
    this.write(packet, now)
    // [MQTT-3.14.4-1] [MQTT-3.14.4-2]: nothing more on this connection; close it.
    this.requestClose(undefined)
  }

  reauthenticate(now: number, properties?: Properties): void {
    this.lastNow = now
    const packet = this.version === 5 ? this.auth.reauthenticate(properties) : undefined
    if (!packet) throw invalidArgument('re-authentication needs MQTT 5 and an authenticator')
    if (this.currentState !== 'connected')
      throw new SessionError('ERR_NOT_CONNECTED', 're-authentication needs a connection')
    this.write(packet, now)
  }

  ack(message: ReceivedMessage, reasonCode = 0): void {
    if (!this.options.manualAck || message.qos === 0 || message.packetId === undefined) return
    const type = message.qos === 1 ? 'puback' : 'pubrec'
    if (this.version === 5 ? !isValidReasonCode(type, reasonCode) : reasonCode !== 0) {
      throw invalidArgument(`0x${reasonCode.toString(16)} is not a ${type.toUpperCase()} reason code`)
    }
    if (!this.incoming.ack(message.packetId, message.qos, reasonCode)) return
    if (this.currentState !== 'connected') return
    try {
      this.flushAcks(this.lastNow)
    } catch (error) {
      this.failed(error)
    }
  }

  abandon(error: MqttError): void {
    for (const record of this.outgoing.all()) {
      this.emit({ type: 'publish-failed', token: record.token, ...packetIdOf(record), error })
    }
    // Memory only: a durable store keeps the messages for the next session opened on it.
    this.outgoing.forget()
    for (const request of this.requests.takeAll()) this.emit({ type: 'request-failed', token: request.token, error })
  }

  stats(): SessionStats {
    return {
      queued: this.outgoing.queuedCount,
      queuedBytes: this.outgoing.queuedBytes,
      inflight: this.outgoing.inflightCount,
      ...this.counters,
    }
  }

  takeOutgoing(): Uint8Array[] {
    const out = this.out ?? NOTHING
    this.out = undefined
    const written = this.qos0Written
    this.qos0Written = undefined
    if (written !== undefined) for (const token of written) this.emit({ type: 'publish-done', token })
    return out
  }

  takeEvents(): SessionEvent[] {
    const events = this.events ?? NOTHING
    this.events = undefined
    return events
  }

  nextDeadline(): number | undefined {
    return this.currentState === 'connected' ? this.keepalive.nextDeadline() : undefined
  }

  // ---- inbound packets -------------------------------------------------------------------------------

  private handle(packet: Packet, now: number): void {
    if (this.currentState === 'connecting' && packet.type !== 'connack' && packet.type !== 'auth') {
      this.fail(protocolError('ERR_UNEXPECTED_PACKET', `${packet.type.toUpperCase()} before CONNACK`), 0x82)
      return
    }
    switch (packet.type) {
      case 'connack':
        this.onConnack(packet, now)
        break
      case 'publish':
        this.onPublish(packet, now)
        break
      case 'puback':
        this.onPuback(packet, now)
        break
      case 'pubrec':
        this.onPubrec(packet, now)
        break
      case 'pubrel':
        this.onPubrel(packet, now)
        break
      case 'pubcomp':
        this.onPubcomp(packet, now)
        break
      case 'suback':
      case 'unsuback':
        this.onRequestAck(packet)
        break
      case 'pingresp': {
        const roundTripMs = this.keepalive.ponged(now)
        if (roundTripMs !== undefined) this.emit({ type: 'pong', roundTripMs })
        break
      }
      case 'disconnect':
        this.onServerDisconnect(packet)
        break
      case 'auth':
        this.onAuth(packet, now)
        break
      default:
        // CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ: only a client sends these.
        this.fail(protocolError('ERR_UNEXPECTED_PACKET', `a server must not send ${packet.type.toUpperCase()}`), 0x82)
    }
  }

  private onConnack(connack: ConnackPacket, now: number): void {
    if (this.currentState !== 'connecting') {
      this.fail(protocolError('ERR_UNEXPECTED_PACKET', 'a second CONNACK'), 0x82)
      return
    }
    // A v3.1.1 server may answer an MQTT 5 CONNECT with return code 1 (unacceptable protocol version).
    const reasonCode = this.version === 5 && connack.reasonCode === 0x01 ? 0x84 : connack.reasonCode
    const outcome = readConnack({ ...connack, reasonCode }, this.version, this.pinned)
    if (outcome.kind === 'fallback') {
      this.fallBack(outcome.protocolVersion)
      return
    }
    if (outcome.kind === 'refused') {
      this.emit({ type: 'connect-failed', error: outcome.error, connack, fatal: outcome.fatal })
      this.requestClose(outcome.error) // [MQTT-4.13.2-1]
      return
    }
    // [MQTT-3.2.2-4]: after a clean start the server cannot have a session for us.
    if (this.cleanSent && connack.sessionPresent) {
      this.fail(protocolError('ERR_SESSION_PRESENT', 'Session Present = 1 after a clean start'), 0x82)
      return
    }
    this.currentState = 'connected'
    this.connectedBefore = true
    const properties = connack.properties ?? {}
    if (this.version === 5) {
      if (properties.assignedClientIdentifier !== undefined && this.id === '') {
        this.store.setClientId(properties.assignedClientIdentifier)
        this.id = properties.assignedClientIdentifier
      }
      this.limits = limitsFromConnack(connack)
    }
    // [MQTT-3.1.2-21] [MQTT-3.2.2-21]: Server Keep Alive replaces ours.
    const keepaliveSeconds = properties.serverKeepAlive ?? this.options.keepalive ?? 60
    this.keepalive.start(
      { keepaliveSeconds, pingIntervalMs: this.options.pingInterval, responseTimeoutMs: this.options.responseTimeout },
      now,
    )
    this.outAliases.reset(this.limits.topicAliasMaximum) // [MQTT-3.3.2-7]
    this.outgoing.window = Math.min(this.options.maxInflight ?? 65_535, this.limits.receiveMaximum)
    if (!connack.sessionPresent) this.incoming.sessionLost()
    const { pubrels, completed } = this.outgoing.reconnected(connack.sessionPresent)
    this.emit({ type: 'connected', connack, sessionPresent: connack.sessionPresent })
    for (const record of completed) this.emit({ type: 'publish-done', token: record.token, ...packetIdOf(record) })
    for (const record of pubrels) this.write({ type: 'pubrel', packetId: record.packetId! }, now)
    if (pubrels.length > 0) this.keepalive.expectAnswer(now)
    for (const packetId of this.requests.packetIds()) this.sendRequest(packetId, now)
    this.pump(now)
    this.flushAcks(now)
  }

  private fallBack(protocolVersion: ProtocolVersion): void {
    this.version = protocolVersion
    this.emit({ type: 'version-fallback', protocolVersion })
    this.requestClose(undefined)
  }

  private onPublish(packet: PublishPacket, now: number): void {
    let topic = packet.topic
    if (this.version === 5) {
      try {
        topic = this.inAliases.resolve(packet.topic, packet.properties?.topicAlias)
      } catch (error) {
        this.fail(error as MqttError, 0x94)
        return
      }
    }
    const resolved: PublishPacket = topic === packet.topic ? packet : { ...packet, topic }
    const message: ReceivedMessage = {
      topic,
      payload: packet.payload,
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
      packet: resolved,
    }
    if (packet.packetId !== undefined) message.packetId = packet.packetId
    if (packet.properties) message.properties = packet.properties
    // A QoS above the subscription's is allowed here: the server may send the publisher's QoS in 3.1 and
    // overlapping subscriptions may raise it. [MQTT-3.3.4-1]: answer per the PUBLISH's own QoS.
    if (packet.qos === 0 || packet.packetId === undefined) {
      this.emit({ type: 'message', message })
      return
    }
    const verdict = this.incoming.onPublish(packet.qos, packet.packetId)
    if (verdict === 'deliver') this.emit({ type: 'message', message })
    else if (verdict === 'repeat-pubrec') this.write({ type: 'pubrec', packetId: packet.packetId }, now)
    this.flushAcks(now)
  }

  private onPuback(packet: AckPacket<'puback'>, now: number): void {
    const record = this.outgoing.find(packet.packetId, 1, 'sent')
    if (!record) {
      this.unknownAck(packet)
      return
    }
    this.finish(record, packet, 'puback', now)
  }

  private onPubrec(packet: AckPacket<'pubrec'>, now: number): void {
    const record = this.outgoing.find(packet.packetId, 2, 'sent')
    if (!record) {
      // A repeated PUBREC for a message already released: answer with the PUBREL again.
      if (this.outgoing.find(packet.packetId, 2, 'released'))
        this.write({ type: 'pubrel', packetId: packet.packetId }, now)
      else this.unknownAck(packet)
      return
    }
    if ((packet.reasonCode ?? 0) >= 0x80) {
      this.finish(record, packet, 'pubrec', now) // [MQTT-4.4.0-2]: no PUBREL after a failing PUBREC
      return
    }
    this.outgoing.release(record)
    this.write({ type: 'pubrel', packetId: packet.packetId }, now) // [MQTT-4.3.3-4]
  }

  private onPubcomp(packet: AckPacket<'pubcomp'>, now: number): void {
    const record = this.outgoing.find(packet.packetId, 2, 'released')
    if (!record) {
      this.unknownAck(packet)
      return
    }
    this.finish(record, packet, 'pubcomp', now)
  }

  /** The last ack of an outgoing flow: report success or failure, free the id and the window slot. */
  private finish(
    record: StoredOutgoing,
    packet: AckPacket<'puback' | 'pubrec' | 'pubcomp'>,
    type: 'puback' | 'pubrec' | 'pubcomp',
    now: number,
  ): void {
    const reasonCode = packet.reasonCode ?? 0
    this.outgoing.complete(record)
    if (reasonCode >= 0x80) {
      this.emit({
        type: 'publish-failed',
        token: record.token,
        ...packetIdOf(record),
        error: new PublishError(reasonCode, type),
      })
    } else {
      this.counters.acked++
      const done: SessionEvent = { type: 'publish-done', token: record.token, ...packetIdOf(record), reasonCode }
      if (packet.properties) done.properties = packet.properties
      this.emit(done)
    }
    this.pump(now)
  }

  private unknownAck(packet: AckPacket<'puback' | 'pubrec' | 'pubcomp'>): void {
    const name = packet.type.toUpperCase()
    this.fail(protocolError('ERR_UNKNOWN_PACKET_ID', `${name} for packet id ${packet.packetId}, not in flight`), 0x82)
  }

  private onPubrel(packet: AckPacket<'pubrel'>, now: number): void {
    const outcome = this.incoming.onPubrel(packet.packetId)
    if (outcome === 'early') {
      this.fail(protocolError('ERR_UNEXPECTED_PACKET', `PUBREL ${packet.packetId} before our PUBREC`), 0x82)
      return
    }
    // [MQTT-4.3.3-11]; an unknown id is answered too, with 0x92 in MQTT 5 (Packet Identifier not found).
    const pubcomp: AckPacket<'pubcomp'> = { type: 'pubcomp', packetId: packet.packetId }
    if (outcome === 'unknown' && this.version === 5) pubcomp.reasonCode = 0x92
    this.write(pubcomp, now)
  }

  private onRequestAck(packet: SubackPacket | UnsubackPacket): void {
    const kind = packet.type === 'suback' ? 'subscribe' : 'unsubscribe'
    const request = this.requests.get(packet.packetId)
    if (!request || request.kind !== kind) {
      const error = protocolError(
        'ERR_UNKNOWN_PACKET_ID',
        `${packet.type.toUpperCase()} for unknown packet id ${packet.packetId}`,
      )
      this.fail(error, 0x82)
      return
    }
    const expected = request.kind === 'subscribe' ? request.subscriptions.length : request.topics.length
    const counted = packet.type === 'suback' || this.version === 5 // 3.1.1 UNSUBACK carries no codes
    if (counted && packet.reasonCodes.length !== expected) {
      const error = protocolError(
        'ERR_SUBACK_COUNT',
        `${packet.reasonCodes.length} reason codes for ${expected} filters`,
      )
      this.fail(error, 0x82)
      return
    }
    this.requests.remove(packet.packetId)
    if (request.kind === 'subscribe') {
      request.subscriptions.forEach((subscription, i) => {
        if (packet.reasonCodes[i]! >= 0x80) return
        const stored: StoredSubscription = { ...subscription }
        const id = request.properties?.subscriptionIdentifier
        if (typeof id === 'number') stored.subscriptionIdentifier = id
        if (request.properties?.userProperties) stored.userProperties = request.properties.userProperties
        this.store.putSubscription(stored)
        this.subscriptionList.set(subscription.topic, stored)
      })
    } else {
      request.topics.forEach((topic, i) => {
        if ((packet.reasonCodes[i] ?? 0) >= 0x80) return
        this.store.removeSubscription(topic)
        this.subscriptionList.delete(topic)
      })
    }
    const type = packet.type === 'suback' ? 'subscribed' : 'unsubscribed'
    const { token } = request
    const { reasonCodes, properties } = packet
    this.emit(properties ? { type, token, reasonCodes, properties } : { type, token, reasonCodes })
    this.pump(this.lastNow) // the freed id may be the one a queued message waits for
  }

  private onServerDisconnect(packet: DisconnectPacket): void {
    const reasonCode = packet.reasonCode ?? 0
    const event: SessionEvent = { type: 'server-disconnect', reasonCode }
    if (packet.properties) event.properties = packet.properties
    this.emit(event)
    this.currentState = 'disconnecting' // [MQTT-3.14.4-1]: the server closes; we send nothing more
    this.keepalive.stop()
    this.emit({
      type: 'close',
      error: new SessionError('ERR_SERVER_DISCONNECT', `server disconnected: 0x${reasonCode.toString(16)}`, reasonCode),
    })
  }

  private onAuth(packet: AuthPacket, now: number): void {
    const result = this.auth.onServerAuth(packet)
    if (result.error) {
      this.fail(result.error, result.disconnectReason)
      return
    }
    const reasonCode = packet.reasonCode ?? 0
    this.emit(
      packet.properties ? { type: 'auth', reasonCode, properties: packet.properties } : { type: 'auth', reasonCode },
    )
    if (result.reply) this.write(result.reply, now)
  }

  private onDecodeError(error: unknown): void {
    const awaitingConnack = this.currentState === 'connecting'
    if (awaitingConnack && this.version === 5 && isLegacyVersionRefusal(this.firstBytes)) {
      if (!this.pinned) {
        this.fallBack(4)
        return
      }
      const refusal = new ConnectError(0x84, 1)
      this.emit({ type: 'connect-failed', error: refusal, fatal: true })
      this.requestClose(refusal)
      return
    }
    const mqttError =
      error instanceof MqttError ? error : new MalformedPacketError('ERR_TRUNCATED', String(error), { cause: error })
    const reason = mqttError instanceof PacketTooLargeError ? 0x95 : (mqttError.reasonCode ?? 0x81)
    this.fail(mqttError, reason)
  }

  // ---- outbound ----------------------------------------------------------------------------------------

  /** Write queued messages while the window allows. */
  private pump(now: number): void {
    while (this.currentState === 'connected') {
      const record = this.outgoing.nextToSend()
      if (!record) return
      if (record.qos > 0 && record.packetId === undefined) {
        this.outgoing.assignId(record)
        this.emit({ type: 'publish-id', token: record.token, packetId: record.packetId! })
      }
      this.transmit(record, now)
    }
  }

  private transmit(record: StoredOutgoing, now: number): void {
    const refusal = publishRefusal(this.limits, record.qos, record.retain)
    const bytes = refusal ?? this.encodePublish(record)
    if (bytes instanceof MqttError) {
      this.outgoing.drop(record)
      this.emit({ type: 'publish-failed', token: record.token, ...packetIdOf(record), error: bytes })
      return
    }
    this.outgoing.markSent(record) // stored before its bytes can reach the transport
    this.push(bytes, now)
    this.counters.sent++
    if (record.qos > 0) this.keepalive.expectAnswer(now)
    if (record.qos === 0) (this.qos0Written ??= []).push(record.token)
  }

  /** The PUBLISH bytes, with a topic alias where one applies, or the error when it exceeds the server's limit. */
  private encodePublish(record: StoredOutgoing): Uint8Array | MqttError {
    const packet: PublishPacket = {
      type: 'publish',
      topic: record.topic,
      payload: record.payload,
      qos: record.qos,
      retain: record.retain,
      dup: record.dup && record.qos > 0, // [MQTT-3.3.1-1] [MQTT-3.3.1-2]
    }
    if (record.packetId !== undefined) packet.packetId = record.packetId
    if (record.properties) packet.properties = record.properties
    const limit = this.limits.maximumPacketSize
    const userAlias = record.properties?.topicAlias
    if (this.version === 5 && userAlias !== undefined) {
      const bytes = encodeWithin(packet, this.version, limit)
      if (!(bytes instanceof PacketTooLargeError) && record.topic !== '')
        this.outAliases.define(record.topic, userAlias)
      return bytes
    }
    if (this.version !== 5 || this.options.autoTopicAlias === false || this.outAliases.limit === 0) {
      return encodeWithin(packet, this.version, limit)
    }
    const aliased = this.outAliases.assign(record.topic)
    const bytes = encodeWithin(
      { ...packet, topic: aliased.topic, properties: { ...record.properties, topicAlias: aliased.alias } },
      this.version,
      limit,
    )
    if (bytes instanceof MqttError && aliased.topic !== '') this.outAliases.forget(record.topic)
    return bytes
  }

  private sendRequest(packetId: number, now: number): void {
    const request = this.requests.get(packetId)!
    const properties = this.version === 5 ? request.properties : undefined
    const packet: Packet =
      request.kind === 'subscribe'
        ? { type: 'subscribe', packetId, subscriptions: request.subscriptions }
        : { type: 'unsubscribe', packetId, topics: request.topics }
    if (properties) packet.properties = properties
    const bytes = encodeWithin(packet, this.version, this.limits.maximumPacketSize)
    if (bytes instanceof MqttError) {
      this.requests.remove(packetId)
      this.emit({ type: 'request-failed', token: request.token, error: bytes })
      return
    }
    this.push(bytes, now)
    this.keepalive.expectAnswer(now)
  }

  private flushAcks(now: number): void {
    if (this.currentState !== 'connected') return
    for (const ack of this.incoming.flush()) {
      const packet: AckPacket<'puback' | 'pubrec'> = { type: ack.type, packetId: ack.packetId }
      if (this.version === 5) packet.reasonCode = ack.reasonCode
      this.write(packet, now)
    }
  }

  /** Encode (within the server's limit, trimming what the spec allows) and queue a control packet. */
  private write(packet: Packet, now: number): void {
    const limit = packet.type === 'connect' ? Number.POSITIVE_INFINITY : this.limits.maximumPacketSize
    const bytes = encodeWithin(packet, this.version, limit)
    if (bytes instanceof MqttError) {
      // A control packet that cannot be encoded within the limit even when trimmed: report it and go on.
      this.emit({ type: 'error', error: bytes })
      return
    }
    this.push(bytes, now)
  }

  private push(bytes: Uint8Array, now: number): void {
    this.out ??= []
    this.out.push(bytes)
    this.keepalive.sent(now)
  }

  // ---- connection lifecycle -----------------------------------------------------------------------------

  /**
   * A step that calls the store failed: `error` + `close` (nothing is thrown from receive / tick / commands
   * that already took effect). Every store change is made before the memory one (or undone), so memory still
   * matches the store, and the next connection picks up from there.
   */
  private failed(error: unknown): void {
    this.fail(error instanceof MqttError ? error : new SessionError('ERR_INTERNAL', String(error)), 0x80)
  }

  /** A protocol error from the server: DISCONNECT with the reason (MQTT 5), report it, close. */
  private fail(error: MqttError, reasonCode: number): void {
    if (this.version === 5) this.write({ type: 'disconnect', reasonCode }, this.lastNow)
    this.emit({ type: 'error', error })
    this.requestClose(error)
  }

  private requestClose(error: MqttError | undefined): void {
    this.currentState = 'disconnecting'
    this.keepalive.stop()
    this.emit(error ? { type: 'close', error } : { type: 'close' })
  }

  private resetConnection(): void {
    this.decoder.reset()
    this.firstBytes = []
    this.keepalive.stop()
    this.out = undefined
  }

  /** Our own limit for incoming packets: the CONNECT's Maximum Packet Size (MQTT 5), else the protocol's. */
  private ourMaximumPacketSize(): number {
    return (this.version === 5 ? this.options.properties?.maximumPacketSize : undefined) ?? PROTOCOL_MAX_PACKET_SIZE
  }

  private emit(event: SessionEvent): void {
    this.events ??= []
    this.events.push(event)
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

function packetIdOf(record: StoredOutgoing): { packetId?: number } {
  return record.packetId === undefined ? {} : { packetId: record.packetId }
}
