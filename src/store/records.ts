// The records of the session log: one per store call, each a compact binary body. Strings are MQTT UTF-8
// strings and properties use the MQTT 5 property encoding (the codec's own writers), so nothing is stored
// that could not go on the wire; counters (seq, token, release order) are LEB128, up to 2^53.
import type { MqttError } from '../packet/errors.js'
import { measureProperties, readProperties, writeProperties } from '../packet/property-codec.js'
import { Reader } from '../packet/reader.js'
import type { Properties, QoS, UserProperty } from '../packet/types.js'
import { utf8Length, writeUtf8 } from '../packet/utf8.js'
import { varintSize, writeU16 } from '../packet/writer.js'
import type { OutgoingState, StoredOutgoing, StoredSubscription } from '../session/store.js'
import { StoreError } from './errors.js'

export type StoreRecord =
  | { type: 'clientId'; clientId: string }
  | { type: 'putOutgoing'; message: StoredOutgoing }
  | { type: 'updateOutgoing'; seq: number; state: OutgoingState; dup: boolean; releaseOrder?: number }
  | { type: 'removeOutgoing'; seq: number }
  | { type: 'addIncoming'; packetId: number }
  | { type: 'removeIncoming'; packetId: number }
  | { type: 'clearIncoming' }
  | { type: 'putSubscription'; subscription: StoredSubscription }
  | { type: 'removeSubscription'; topic: string }

const TAGS = {
  clientId: 1,
  putOutgoing: 2,
  updateOutgoing: 3,
  removeOutgoing: 4,
  addIncoming: 5,
  removeIncoming: 6,
  clearIncoming: 7,
  putSubscription: 8,
  removeSubscription: 9,
} as const

const STATES: readonly OutgoingState[] = ['queued', 'sent', 'released']
const PUBLISH = 3 // the property context of a PUBLISH packet

// Flag bits of an outgoing message (putOutgoing, updateOutgoing).
const RETAIN = 0x04
const DUP = 0x08
const HAS_PACKET_ID = 0x10
const HAS_PROPERTIES = 0x20
const HAS_RELEASE_ORDER = 0x40

// Presence bits of a subscription's optional fields.
const NO_LOCAL = 0x01
const RETAIN_AS_PUBLISHED = 0x02
const RETAIN_HANDLING = 0x04
const SUBSCRIPTION_ID = 0x08
const USER_PROPERTIES = 0x10

/** A copy sharing no mutable part with `properties` (binary values are copied byte for byte, not their buffers). */
export function copyProperties(properties: Properties): Properties {
  const copy: Properties = { ...properties }
  if (properties.correlationData !== undefined) copy.correlationData = properties.correlationData.slice()
  if (properties.userProperties !== undefined) {
    copy.userProperties = properties.userProperties.map(([key, value]) => [key, value])
  }
  if (Array.isArray(properties.subscriptionIdentifier)) {
    copy.subscriptionIdentifier = [...properties.subscriptionIdentifier]
  }
  return copy
}

// ---- sizes --------------------------------------------------------------------------------------------

function counterSize(n: number): number {
  let size = 1
  while (n >= 0x80) {
    n = Math.floor(n / 0x80)
    size++
  }
  return size
}

function stateSize(releaseOrder: number | undefined): number {
  return 2 + (releaseOrder === undefined ? 0 : counterSize(releaseOrder))
}

function bodySize(record: StoreRecord): number {
  switch (record.type) {
    case 'clientId':
      return 1 + 2 + utf8Length(record.clientId)
    case 'putOutgoing': {
      const m = record.message
      const props = m.properties === undefined ? 0 : measureProperties(m.properties, PUBLISH)
      return (
        1 +
        counterSize(m.seq) +
        counterSize(m.token) +
        stateSize(m.releaseOrder) +
        (m.packetId === undefined ? 0 : 2) +
        2 +
        utf8Length(m.topic) +
        (m.properties === undefined ? 0 : varintSize(props) + props) +
        m.payload.length
      )
    }
    case 'updateOutgoing':
      return 1 + counterSize(record.seq) + stateSize(record.releaseOrder)
    case 'removeOutgoing':
      return 1 + counterSize(record.seq)
    case 'addIncoming':
    case 'removeIncoming':
      return 3
    case 'clearIncoming':
      return 1
    case 'putSubscription': {
      const s = record.subscription
      let size = 1 + 2 + utf8Length(s.topic) + 2
      if (s.subscriptionIdentifier !== undefined) size += counterSize(s.subscriptionIdentifier)
      if (s.userProperties !== undefined) {
        size += 2
        for (const [key, value] of s.userProperties) size += 4 + utf8Length(key) + utf8Length(value)
      }
      return size
    }
    case 'removeSubscription':
      return 1 + 2 + utf8Length(record.topic)
  }
}

// ---- writing ------------------------------------------------------------------------------------------

function writeCounter(buf: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n % 0x80) | 0x80
    n = Math.floor(n / 0x80)
  }
  buf[pos++] = n
  return pos
}

/** Flags byte, state byte, then the release order when there is one. */
function writeState(
  buf: Uint8Array,
  pos: number,
  flags: number,
  state: OutgoingState,
  releaseOrder: number | undefined,
): number {
  buf[pos++] = flags | (releaseOrder === undefined ? 0 : HAS_RELEASE_ORDER)
  buf[pos++] = STATES.indexOf(state)
  return releaseOrder === undefined ? pos : writeCounter(buf, pos, releaseOrder)
}

function writeOutgoing(buf: Uint8Array, pos: number, m: StoredOutgoing): number {
  pos = writeCounter(buf, pos, m.seq)
  pos = writeCounter(buf, pos, m.token)
  const flags =
    m.qos |
    (m.retain ? RETAIN : 0) |
    (m.dup ? DUP : 0) |
    (m.packetId === undefined ? 0 : HAS_PACKET_ID) |
    (m.properties === undefined ? 0 : HAS_PROPERTIES)
  pos = writeState(buf, pos, flags, m.state, m.releaseOrder)
  if (m.packetId !== undefined) pos = writeU16(buf, pos, m.packetId)
  pos = writeUtf8(buf, pos, m.topic)
  if (m.properties !== undefined) {
    pos = writeProperties(buf, pos, m.properties, measureProperties(m.properties, PUBLISH))
  }
  buf.set(m.payload, pos) // the payload runs to the end of the body
  return pos + m.payload.length
}

function writeSubscription(buf: Uint8Array, pos: number, s: StoredSubscription): number {
  pos = writeUtf8(buf, pos, s.topic)
  buf[pos++] = s.qos | (s.noLocal ? 0x04 : 0) | (s.retainAsPublished ? 0x08 : 0) | ((s.retainHandling ?? 0) << 4)
  buf[pos++] =
    (s.noLocal === undefined ? 0 : NO_LOCAL) |
    (s.retainAsPublished === undefined ? 0 : RETAIN_AS_PUBLISHED) |
    (s.retainHandling === undefined ? 0 : RETAIN_HANDLING) |
    (s.subscriptionIdentifier === undefined ? 0 : SUBSCRIPTION_ID) |
    (s.userProperties === undefined ? 0 : USER_PROPERTIES)
  if (s.subscriptionIdentifier !== undefined) pos = writeCounter(buf, pos, s.subscriptionIdentifier)
  if (s.userProperties !== undefined) {
    pos = writeU16(buf, pos, s.userProperties.length)
    for (const [key, value] of s.userProperties) pos = writeUtf8(buf, writeUtf8(buf, pos, key), value)
  }
  return pos
}

/** The record's body, written at `offset` of a new buffer of `offset + size` bytes (room for a frame header). */
export function encodeRecord(record: StoreRecord, offset: number): Uint8Array {
  const buf = new Uint8Array(offset + bodySize(record))
  buf[offset] = TAGS[record.type]
  const pos = offset + 1
  switch (record.type) {
    case 'clientId':
      writeUtf8(buf, pos, record.clientId)
      break
    case 'putOutgoing':
      writeOutgoing(buf, pos, record.message)
      break
    case 'updateOutgoing':
      writeState(buf, writeCounter(buf, pos, record.seq), record.dup ? DUP : 0, record.state, record.releaseOrder)
      break
    case 'removeOutgoing':
      writeCounter(buf, pos, record.seq)
      break
    case 'addIncoming':
    case 'removeIncoming':
      writeU16(buf, pos, record.packetId)
      break
    case 'clearIncoming':
      break
    case 'putSubscription':
      writeSubscription(buf, pos, record.subscription)
      break
    case 'removeSubscription':
      writeUtf8(buf, pos, record.topic)
      break
  }
  return buf
}

// ---- reading ------------------------------------------------------------------------------------------

function readCounter(r: Reader): number {
  let value = 0
  let multiplier = 1
  for (let i = 0; i < 8; i++) {
    const b = r.u8()
    value += (b & 0x7f) * multiplier
    if (b < 0x80) return value
    multiplier *= 0x80
  }
  throw new StoreError('ERR_STORE_CORRUPT', 'a counter longer than 8 bytes')
}

function readState(r: Reader): { flags: number; state: OutgoingState; releaseOrder?: number } {
  const flags = r.u8()
  const state = STATES[r.u8()]
  if (state === undefined) throw new StoreError('ERR_STORE_CORRUPT', 'unknown outgoing state')
  return flags & HAS_RELEASE_ORDER ? { flags, state, releaseOrder: readCounter(r) } : { flags, state }
}

function readOutgoing(r: Reader): StoredOutgoing {
  const seq = readCounter(r)
  const token = readCounter(r)
  const { flags, state, releaseOrder } = readState(r)
  const packetId = flags & HAS_PACKET_ID ? r.u16() : undefined
  const topic = r.utf8()
  const read = flags & HAS_PROPERTIES ? (readProperties(r, PUBLISH) ?? {}) : undefined
  const properties = read === undefined ? undefined : copyProperties(read) // no views into the log buffer
  const qos = flags & 0x03
  if (qos === 3) throw new StoreError('ERR_STORE_CORRUPT', 'QoS 3 in a stored message')
  const message: StoredOutgoing = {
    seq,
    token,
    topic,
    payload: r.rest().slice(), // a copy: the log buffer it was read from is not kept
    qos: qos as QoS,
    retain: (flags & RETAIN) !== 0,
    state,
    dup: (flags & DUP) !== 0,
  }
  if (packetId !== undefined) message.packetId = packetId
  if (properties !== undefined) message.properties = properties
  if (releaseOrder !== undefined) message.releaseOrder = releaseOrder
  return message
}

function readSubscription(r: Reader): StoredSubscription {
  const topic = r.utf8()
  const options = r.u8()
  const present = r.u8()
  const subscription: StoredSubscription = { topic, qos: (options & 0x03) as QoS }
  if (present & NO_LOCAL) subscription.noLocal = (options & 0x04) !== 0
  if (present & RETAIN_AS_PUBLISHED) subscription.retainAsPublished = (options & 0x08) !== 0
  if (present & RETAIN_HANDLING) subscription.retainHandling = ((options >> 4) & 0x03) as 0 | 1 | 2
  if (present & SUBSCRIPTION_ID) subscription.subscriptionIdentifier = readCounter(r)
  if (present & USER_PROPERTIES) {
    const pairs: UserProperty[] = []
    for (let n = r.u16(); n > 0; n--) pairs.push([r.utf8(), r.utf8()])
    subscription.userProperties = pairs
  }
  return subscription
}

function readBody(r: Reader): StoreRecord {
  const tag = r.u8()
  switch (tag) {
    case TAGS.clientId:
      return { type: 'clientId', clientId: r.utf8() }
    case TAGS.putOutgoing:
      return { type: 'putOutgoing', message: readOutgoing(r) }
    case TAGS.updateOutgoing: {
      const seq = readCounter(r)
      const { flags, state, releaseOrder } = readState(r)
      const record: StoreRecord = { type: 'updateOutgoing', seq, state, dup: (flags & DUP) !== 0 }
      if (releaseOrder !== undefined) record.releaseOrder = releaseOrder
      return record
    }
    case TAGS.removeOutgoing:
      return { type: 'removeOutgoing', seq: readCounter(r) }
    case TAGS.addIncoming:
      return { type: 'addIncoming', packetId: r.u16() }
    case TAGS.removeIncoming:
      return { type: 'removeIncoming', packetId: r.u16() }
    case TAGS.clearIncoming:
      return { type: 'clearIncoming' }
    case TAGS.putSubscription:
      return { type: 'putSubscription', subscription: readSubscription(r) }
    case TAGS.removeSubscription:
      return { type: 'removeSubscription', topic: r.utf8() }
    default:
      throw new StoreError('ERR_STORE_CORRUPT', `unknown record type ${tag}`)
  }
}

/** Decodes bytes [start, end) of `buf` (a body whose checksum matched). */
export function decodeRecord(buf: Uint8Array, start: number, end: number): StoreRecord {
  const r = new Reader(buf, start, end)
  try {
    const record = readBody(r)
    r.expectEnd()
    return record
  } catch (error) {
    if (error instanceof StoreError) throw error
    throw new StoreError('ERR_STORE_CORRUPT', `unreadable record: ${(error as MqttError).message}`, { cause: error })
  }
}
