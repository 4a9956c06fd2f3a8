// The incremental Decoder: bytes in, in chunks of any size; packets out. Chunks are kept as a list (never
// re-concatenated); a frame inside one chunk is parsed from a view of it, a frame spread over several chunks
// is copied once, when it is complete.
import { MalformedPacketError, MqttError, PacketTooLargeError } from './errors.js'
import { checkFirstByte, parsePacket } from './parse.js'
import type { Packet, ProtocolVersion } from './types.js'
import { PROTOCOL_MAX_PACKET_SIZE } from './writer.js'

export interface DecoderOptions {
  /** Protocol level of the connection; default 5. Decoding a CONNECT switches to that CONNECT's level. */
  protocolVersion?: ProtocolVersion
  /** Largest packet accepted, in bytes, header included; default the protocol maximum (268,435,460). */
  maximumPacketSize?: number
}

// Consumed chunks are dropped from the front of the list in batches, not one shift() at a time.
const COMPACT_AFTER = 64

export class Decoder {
  protocolVersion: ProtocolVersion
  maximumPacketSize: number
  #chunks: Uint8Array[] = []
  #head = 0 // index of the first chunk with unread bytes
  #offset = 0 // read position in that chunk
  #buffered = 0
  #error: MqttError | undefined = undefined

  constructor(options: DecoderOptions = {}) {
    this.protocolVersion = options.protocolVersion ?? 5
    this.maximumPacketSize = options.maximumPacketSize ?? PROTOCOL_MAX_PACKET_SIZE
  }

  /** Bytes received and not yet decoded. */
  get buffered(): number {
    return this.#buffered
  }

  /**
   * Buffers `chunk` without copying it: do not modify it afterwards (decoded payloads may be views of it).
   * After a decoding error, chunks are dropped: the connection is going away.
   */
  write(chunk: Uint8Array): void {
    if (!(chunk instanceof Uint8Array))
      throw new MalformedPacketError('ERR_INVALID_PACKET', 'chunk must be a Uint8Array')
    if (this.#error !== undefined || chunk.length === 0) return
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
  }

  /**
   * The next complete packet, or undefined when more bytes are needed. Throws a typed MqttError for a bad
   * frame; from then on every read() throws that same error until reset().
   */
  read(): Packet | undefined {
    if (this.#error !== undefined) throw this.#error
    if (this.#buffered === 0) return undefined
    try {
      return this.#readFrame()
    } catch (error) {
      this.#error =
        error instanceof MqttError
          ? error
          : new MalformedPacketError('ERR_INVALID_PACKET', `unexpected decoding failure: ${String(error)}`, {
              cause: error,
            })
      throw this.#error
    }
  }

  /** write(chunk), then every packet now complete. */
  push(chunk: Uint8Array): Packet[] {
    this.write(chunk)
    const packets: Packet[] = []
    for (let packet = this.read(); packet !== undefined; packet = this.read()) packets.push(packet)
    return packets
  }

  /** Drops buffered bytes and any error: a new connection starts. */
  reset(): void {
    this.#chunks = []
    this.#head = 0
    this.#offset = 0
    this.#buffered = 0
    this.#error = undefined
  }

  #readFrame(): Packet | undefined {
    const firstByte = this.#byteAt(0)
    const version = this.protocolVersion
    checkFirstByte(firstByte, version)
    // Remaining Length: a Variable Byte Integer of at most 4 bytes, in its shortest form [MQTT-1.5.5-1].
    let remaining = 0
    let multiplier = 1
    let headerSize = 1
    for (;;) {
      if (headerSize >= this.#buffered) return undefined
      const b = this.#byteAt(headerSize++)
      remaining += (b & 0x7f) * multiplier
      if (b < 0x80) {
        if (b === 0 && headerSize > 2)
          throw new MalformedPacketError('ERR_REMAINING_LENGTH', 'remaining length is not minimal')
        break
      }
      if (headerSize === 5) throw new MalformedPacketError('ERR_REMAINING_LENGTH', 'remaining length over 4 bytes')
      multiplier *= 0x80
    }
    // Checked before any of the body is waited for or buffered into a frame.
    const total = headerSize + remaining
    if (total > this.maximumPacketSize) throw new PacketTooLargeError(total, this.maximumPacketSize)
    if (this.#buffered < total) return undefined
    let packet: Packet
    const chunk = this.#chunks[this.#head]!
    const start = this.#offset + headerSize
    if (chunk.length - this.#offset >= total) {
      // The whole frame is in this chunk: parse it in place.
      this.#advance(total)
      packet = parsePacket(firstByte, chunk, start, start + remaining, version)
    } else {
      this.#skip(headerSize)
      packet = parsePacket(firstByte, this.#copy(remaining), 0, remaining, version)
    }
    if (packet.type === 'connect') this.protocolVersion = packet.protocolVersion
    return packet
  }

  /** The byte `index` places past the read position; the caller knows it is buffered. */
  #byteAt(index: number): number {
    let i = this.#head
    let pos = this.#offset + index
    for (;;) {
      const chunk = this.#chunks[i]!
      if (pos < chunk.length) return chunk[pos]!
      pos -= chunk.length
      i++
    }
  }

  /** Consumes `n` bytes of the current chunk (n at most what is left of it). */
  #advance(n: number): void {
    this.#buffered -= n
    this.#offset += n
    if (this.#offset < this.#chunks[this.#head]!.length) return
    this.#offset = 0
    this.#head++
    if (this.#head === this.#chunks.length) {
      if (this.#head === 1) this.#chunks.pop()
      else this.#chunks = []
      this.#head = 0
    } else if (this.#head >= COMPACT_AFTER) {
      this.#chunks.splice(0, this.#head)
      this.#head = 0
    }
  }

  #skip(n: number): void {
    while (n > 0) {
      const k = Math.min(n, this.#chunks[this.#head]!.length - this.#offset)
      this.#advance(k)
      n -= k
    }
  }

  /** Copies the next `n` buffered bytes, spread over several chunks, into one frame buffer. */
  #copy(n: number): Uint8Array {
    const frame = new Uint8Array(n)
    let filled = 0
    while (filled < n) {
      const current = this.#chunks[this.#head]!
      const start = this.#offset
      const k = Math.min(n - filled, current.length - start)
      frame.set(current.subarray(start, start + k), filled)
      filled += k
      this.#advance(k)
    }
    return frame
  }
}
