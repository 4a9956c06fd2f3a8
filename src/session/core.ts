// The state one session shares between its parts (the packet handlers, the transmit path, the commands in
// session.ts), and the few operations they all use: queue bytes and events, report a failure and ask to close.
import { Decoder } from '../packet/decode.js'
import { MqttError } from '../packet/errors.js'
import type { Packet, ProtocolVersion } from '../packet/types.js'
import { PROTOCOL_MAX_PACKET_SIZE } from '../packet/writer.js'
import type { SessionEvent, SessionOptions, SessionState, Token } from './api.js'
import { AuthExchange } from './auth.js'
import { SessionError } from './errors.js'
import { IncomingFlows } from './incoming.js'
import { Keepalive } from './keepalive.js'
import { OutgoingFlows } from './outgoing.js'
import { PacketIdAllocator } from './packet-ids.js'
import { encodeWithin } from './packet-size.js'
import { RequestTable } from './requests.js'
import { NO_LIMITS, type ServerLimits } from './server-limits.js'
import { MemorySessionStore, type SessionStore, type StoredOutgoing, type StoredSubscription } from './store.js'
import { IncomingTopicAliases, OutgoingTopicAliases } from './topic-alias.js'

export class SessionCore {
  state: SessionState = 'offline'
  version: ProtocolVersion
  clientId: string
  readonly pinned: boolean
  readonly store: SessionStore
  readonly ids = new PacketIdAllocator()
  readonly outgoing: OutgoingFlows
  readonly incoming: IncomingFlows
  readonly requests: RequestTable
  /** The subscriptions the server granted (and not unsubscribed), for resubscribing. */
  readonly subscriptions = new Map<string, StoredSubscription>()
  readonly inAliases = new IncomingTopicAliases()
  readonly outAliases = new OutgoingTopicAliases()
  readonly keepalive = new Keepalive()
  readonly auth: AuthExchange
  readonly decoder: Decoder
  limits: ServerLimits = NO_LIMITS
  // Bytes, events and QoS 0 tokens waiting to be taken: arrays made on first push, so an idle session keeps
  // none and taking nothing allocates nothing.
  out: Uint8Array[] | undefined
  events: SessionEvent[] | undefined
  /** Tokens of QoS 0 messages whose bytes sit in `out`: done once takeOutgoing() hands them over. */
  qos0Written: Token[] | undefined
  nextToken = 1
  readonly counters = { sent: 0, acked: 0, dropped: 0 }
  connectedBefore = false
  cleanSent = false
  /** The first bytes of a connection, to recognise a 3.1.1 CONNACK refusing an MQTT 5 CONNECT. */
  firstBytes: number[] = []
  lastNow = 0

  constructor(
    readonly options: SessionOptions,
    clientId: string,
    store: SessionStore | undefined,
  ) {
    this.pinned = options.protocolVersion !== undefined
    this.version = options.protocolVersion ?? 5
    this.clientId = clientId
    this.store = store ?? new MemorySessionStore()
    this.auth = new AuthExchange(options.authenticator)
    this.incoming = new IncomingFlows(this.store, options.manualAck ?? false)
    this.outgoing = new OutgoingFlows(this.ids, this.store)
    this.requests = new RequestTable(this.ids)
    this.decoder = new Decoder({ protocolVersion: this.version, maximumPacketSize: this.ourMaximumPacketSize() })
  }

  emit(event: SessionEvent): void {
    this.events ??= []
    this.events.push(event)
  }

  /** Encode (within the server's limit, trimming what the spec allows) and queue a control packet. */
  write(packet: Packet, now: number): void {
    const limit = packet.type === 'connect' ? Number.POSITIVE_INFINITY : this.limits.maximumPacketSize
    const bytes = encodeWithin(packet, this.version, limit)
    if (bytes instanceof MqttError) {
      // A control packet that cannot be encoded within the limit even when trimmed: report it and go on.
      this.emit({ type: 'error', error: bytes })
      return
    }
    this.push(bytes, now)
  }

  push(bytes: Uint8Array, now: number): void {
    this.out ??= []
    this.out.push(bytes)
    this.keepalive.sent(now)
  }

  /**
   * A step that calls the store failed: `error` + `close` (nothing is thrown from receive / tick / commands
   * that already took effect). Every store change is made before the memory one (or undone), so memory still
   * matches the store, and the next connection picks up from there.
   */
  failed(error: unknown): void {
    this.fail(error instanceof MqttError ? error : new SessionError('ERR_INTERNAL', String(error)), 0x80)
  }

  /** A protocol error from the server: DISCONNECT with the reason (MQTT 5), report it, close. */
  fail(error: MqttError, reasonCode: number): void {
    if (this.version === 5) this.write({ type: 'disconnect', reasonCode }, this.lastNow)
    this.emit({ type: 'error', error })
    this.requestClose(error)
  }

  requestClose(error: MqttError | undefined): void {
    this.state = 'disconnecting'
    this.keepalive.stop()
    this.emit(error ? { type: 'close', error } : { type: 'close' })
  }

  /** The server refused our protocol version: reconnect with an older one. */
  fallBack(protocolVersion: ProtocolVersion): void {
    this.version = protocolVersion
    this.emit({ type: 'version-fallback', protocolVersion })
    this.requestClose(undefined)
  }

  resetConnection(): void {
    this.decoder.reset()
    this.firstBytes = []
    this.keepalive.stop()
    this.out = undefined
  }

  /** Our own limit for incoming packets: the CONNECT's Maximum Packet Size (MQTT 5), else the protocol's. */
  ourMaximumPacketSize(): number {
    return (this.version === 5 ? this.options.properties?.maximumPacketSize : undefined) ?? PROTOCOL_MAX_PACKET_SIZE
  }
}

/** The packetId field of an event about `record`, when it has one. */
export function packetIdOf(record: StoredOutgoing): { packetId?: number } {
  return record.packetId === undefined ? {} : { packetId: record.packetId }
}
