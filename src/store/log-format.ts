// The session log file: a 12-byte file header (magic + format version), then frames. A frame is the body's
// length, the length's complement (a flipped length is caught before it is trusted), the body's CRC-32,
// then the body (one record). Appends can be cut short by a crash: an incomplete frame at the end of the
// file, or a damaged last frame, is a torn tail and is dropped on load; damage anywhere before the last
// frame is corruption, reported, never silently skipped.
import { crc32 } from './crc32.js'
import { StoreError } from './errors.js'
import { decodeRecord, encodeRecord, type StoreRecord } from './records.js'

const MAGIC = [0x50, 0x45, 0x54, 0x52, 0x45, 0x4c, 0x53, 0x53] // 'PETRELSS'
export const FORMAT_VERSION = 1
export const FILE_HEADER_SIZE = 12
export const FRAME_HEADER_SIZE = 12

export function fileHeader(): Uint8Array {
  const header = new Uint8Array(FILE_HEADER_SIZE)
  header.set(MAGIC)
  new DataView(header.buffer).setUint32(8, FORMAT_VERSION)
  return header
}

/** The record as a frame, ready to append. */
export function frameRecord(record: StoreRecord): Uint8Array {
  const frame = encodeRecord(record, FRAME_HEADER_SIZE)
  const length = frame.length - FRAME_HEADER_SIZE
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  view.setUint32(0, length)
  view.setUint32(4, ~length >>> 0)
  view.setUint32(8, crc32(frame, FRAME_HEADER_SIZE))
  return frame
}

export interface ScanResult {
  /** The length of the intact log: the file is cut back to it (0: no header yet, a new log). */
  validLength: number
  /** Bytes dropped from the end (a torn append). */
  tornBytes: number
}

function isZero(buf: Uint8Array, start: number): boolean {
  for (let i = start; i < buf.length; i++) if (buf[i] !== 0) return false
  return true
}

function checkFileHeader(buf: Uint8Array, path: string): boolean {
  const expected = fileHeader()
  const n = Math.min(buf.length, FILE_HEADER_SIZE)
  let magicMatches = true
  for (let i = 0; i < Math.min(n, MAGIC.length); i++) if (buf[i] !== expected[i]) magicMatches = false
  if (!magicMatches) throw new StoreError('ERR_STORE_FOREIGN', `${path} is not a Petrel session log`)
  // A header cut short while the log was being created: the log is new.
  if (buf.length < FILE_HEADER_SIZE) return false
  const version = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(8)
  if (version !== FORMAT_VERSION) {
    throw new StoreError('ERR_STORE_FOREIGN', `${path} has format version ${version}; this Petrel reads version 1`)
  }
  return true
}

/** Checks the log in `buf` and hands every intact record to `apply`, in order. Throws ERR_STORE_FOREIGN / _CORRUPT. */
export function scanLog(
  buf: Uint8Array,
  path: string,
  apply: (record: StoreRecord, frameBytes: number) => void,
): ScanResult {
  if (!checkFileHeader(buf, path)) return { validLength: 0, tornBytes: buf.length }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  let pos = FILE_HEADER_SIZE
  while (pos < buf.length) {
    if (buf.length - pos < FRAME_HEADER_SIZE) break // a frame header cut short
    const length = view.getUint32(pos)
    if (length === 0 || (length ^ view.getUint32(pos + 4)) !== -1) {
      // Zeros to the end: the file grew but the data never reached the disk (power loss). Otherwise damage.
      if (isZero(buf, pos)) break
      throw corrupt(path, pos, 'its length check fails')
    }
    const end = pos + FRAME_HEADER_SIZE + length
    if (end > buf.length) break // a body cut short
    if (crc32(buf, pos + FRAME_HEADER_SIZE, end) !== view.getUint32(pos + 8)) {
      if (end === buf.length) break // the last frame, partly written
      throw corrupt(path, pos, 'its checksum fails')
    }
    let record: StoreRecord
    try {
      record = decodeRecord(buf, pos + FRAME_HEADER_SIZE, end)
    } catch (error) {
      throw corrupt(path, pos, (error as Error).message, error)
    }
    apply(record, end - pos)
    pos = end
  }
  return { validLength: pos, tornBytes: buf.length - pos }
}

function corrupt(path: string, offset: number, why: string, cause?: unknown): StoreError {
  return new StoreError('ERR_STORE_CORRUPT', `${path}: the record at byte ${offset} is damaged: ${why}`, { cause })
}
