// What users may pass as a payload, turned into the bytes the session sends.
import { InvalidArgumentError } from './errors.js'

/** string (sent as UTF-8), bytes (Buffer is a Uint8Array), an ArrayBuffer, a number (its decimal text), or nothing. */
export type Payload = string | Uint8Array | ArrayBuffer | ArrayBufferView | number | null | undefined

const EMPTY = new Uint8Array(0)
const utf8 = new TextEncoder()

/** Throws InvalidArgumentError ('ERR_INVALID_ARGUMENT') for anything else. */
export function toPayloadBytes(payload: Payload): Uint8Array {
  if (payload instanceof Uint8Array) return payload
  if (typeof payload === 'string') return utf8.encode(payload)
  if (payload === null || payload === undefined) return EMPTY
  if (typeof payload === 'number') return utf8.encode(String(payload))
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload)
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
  throw new InvalidArgumentError(`unsupported payload type: ${typeof payload}`)
}
