// A bounds-checked cursor over one frame's body. Nothing is read or sliced before its length has been
// checked against the bytes that are there.
import { type CodecErrorCode, MalformedPacketError } from './errors.js'
import { decodeUtf8 } from './utf8.js'

export class Reader {
  readonly buf: Uint8Array
  pos: number
  end: number
  /** The error code for running out of bytes: ERR_PROPERTY_LENGTH while inside a property list. */
  overrunCode: CodecErrorCode = 'ERR_TRUNCATED'

  /** Reads bytes [start, end) of `buf`. */
  constructor(buf: Uint8Array, start: number, end: number) {
    this.buf = buf
    this.pos = start
    this.end = end
  }

  get remaining(): number {
    return this.end - this.pos
  }

  need(n: number): void {
    if (this.end - this.pos < n) {
      throw new MalformedPacketError(this.overrunCode, `needed ${n} more bytes, ${this.end - this.pos} left`)
    }
  }

  u8(): number {
    this.need(1)
    return this.buf[this.pos++]!
  }

  u16(): number {
    this.need(2)
    const buf = this.buf
    const pos = this.pos
    this.pos = pos + 2
    return (buf[pos]! << 8) | buf[pos + 1]!
  }

  u32(): number {
    this.need(4)
    const buf = this.buf
    const pos = this.pos
    this.pos = pos + 4
    return buf[pos]! * 0x1000000 + ((buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!)
  }

  /** A Variable Byte Integer: at most four bytes, in the shortest form [MQTT-1.5.5-1]. */
  varint(): number {
    let value = 0
    let multiplier = 1
    for (let i = 0; i < 4; i++) {
      const b = this.u8()
      value += (b & 0x7f) * multiplier
      if (b < 0x80) {
        if (b === 0 && i > 0) throw new MalformedPacketError('ERR_VARINT', 'variable byte integer is not minimal')
        return value
      }
      multiplier *= 0x80
    }
    throw new MalformedPacketError('ERR_VARINT', 'variable byte integer longer than 4 bytes')
  }

  utf8(): string {
    const length = this.u16()
    this.need(length)
    const start = this.pos
    this.pos = start + length
    return decodeUtf8(this.buf, start, start + length)
  }

  /** Binary Data: a view of the frame (frames are never overwritten, so the view stays valid). */
  binary(): Uint8Array {
    const length = this.u16()
    this.need(length)
    const start = this.pos
    this.pos = start + length
    return this.buf.subarray(start, start + length)
  }

  /** Everything up to the end of the frame. */
  rest(): Uint8Array {
    const start = this.pos
    this.pos = this.end
    return this.buf.subarray(start, this.end)
  }

  expectEnd(): void {
    if (this.pos !== this.end) {
      throw new MalformedPacketError(
        'ERR_TRAILING_BYTES',
        `${this.end - this.pos} unexpected bytes at the end of the packet`,
      )
    }
  }
}
