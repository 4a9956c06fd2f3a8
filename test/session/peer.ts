// A scripted server for session tests: drives a Session on a fake clock, feeds it exact server bytes and
// checks the exact bytes and events that come back. No sockets, no timers.
import assert from 'node:assert/strict'
import { encode } from '../../src/packet/encode.js'
import type { ConnackPacket, Packet, Properties } from '../../src/packet/types.js'
import type { SessionEvent, SessionOptions } from '../../src/session/api.js'
import { Session } from '../../src/session/session.js'

/** Hex with optional spaces to bytes. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '')
  const out = new Uint8Array(clean.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16)
  return out
}

export function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

export type Wire = string | Packet

type EventOf<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>

export class Peer {
  now = 1_000
  readonly session: Session
  private pending: SessionEvent[] = []

  constructor(options: Partial<SessionOptions> = {}) {
    this.session = new Session({ clientId: 'test-client', ...options })
  }

  get version() {
    return this.session.protocolVersion
  }

  /** Bytes of a packet (encoded at the session's current version) or of a hex string. */
  bytes(wire: Wire): Uint8Array {
    return typeof wire === 'string' ? hex(wire) : encode(wire, this.version)
  }

  open(): this {
    this.session.open(this.now)
    return this
  }

  /** Server bytes in. */
  send(...wires: Wire[]): this {
    for (const wire of wires) this.session.receive(this.bytes(wire), this.now)
    return this
  }

  /** Everything the client wrote since the last check, as hex. */
  written(): string {
    return this.session
      .takeOutgoing()
      .map((chunk) => toHex(chunk))
      .filter((h) => h !== '')
      .join(' ')
  }

  /** The client wrote exactly these packets (in order) since the last check. */
  expect(...wires: Wire[]): this {
    const expected = wires.map((w) => toHex(this.bytes(w))).join(' ')
    assert.equal(this.written(), expected)
    return this
  }

  expectNothing(): this {
    assert.equal(this.written(), '')
    return this
  }

  /** Move the fake clock and let the session act on it. */
  advance(ms: number): this {
    this.now += ms
    this.session.tick(this.now)
    return this
  }

  /** Every event since the last call. */
  events(): SessionEvent[] {
    const all = [...this.pending, ...this.session.takeEvents()]
    this.pending = []
    return all
  }

  /** The events of one type since the last call (others are kept for later). */
  take<T extends SessionEvent['type']>(type: T): EventOf<T>[] {
    const all = [...this.pending, ...this.session.takeEvents()]
    this.pending = all.filter((e) => e.type !== type)
    return all.filter((e) => e.type === type) as EventOf<T>[]
  }

  /** Event types since the last call, in order. */
  types(): string[] {
    return this.events().map((e) => e.type)
  }

  /** The session failed with an error of `code` and closed: exactly those two events since the last call. */
  expectFailure(code: string): this {
    const events = this.events()
    assert.deepEqual(
      events.map((e) => e.type),
      ['error', 'close'],
    )
    assert.equal((events[0] as EventOf<'error'>).error.code, code)
    return this
  }

  /** open + CONNECT + CONNACK (accepted); the CONNECT bytes and the `connected` event are consumed. */
  connect(connack: Partial<ConnackPacket> = {}, properties?: Properties): this {
    this.open()
    this.written()
    const packet: ConnackPacket = { type: 'connack', sessionPresent: false, reasonCode: 0, ...connack }
    if (properties) packet.properties = properties
    this.send(packet)
    const connected = this.take('connected')
    assert.equal(connected.length, 1, `expected connected, got ${JSON.stringify(this.pending)}`)
    return this
  }

  /** The transport drops. */
  drop(): this {
    this.session.connectionLost(this.now)
    return this
  }
}

/** A length-prefixed UTF-8 string as hex (for hand-written expected bytes). */
export function str(text: string): string {
  const bytes = utf8(text)
  return `${toHex(new Uint8Array([bytes.length >> 8, bytes.length & 0xff]))} ${toHex(bytes)}`
}

/** Payload bytes as hex. */
export function raw(text: string): string {
  return toHex(utf8(text))
}

/** A fixed header + body: the remaining length is computed (single byte, bodies < 128 bytes). */
export function frame(firstByte: number, ...body: string[]): string {
  const joined = body.join(' ').trim()
  const length = joined === '' ? 0 : joined.split(/\s+/).length
  assert.ok(length < 128, 'frame() handles short packets only')
  return `${toHex(new Uint8Array([firstByte, length]))} ${joined}`.trim()
}
