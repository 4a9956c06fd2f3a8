// Errors of the durable session store. Each is an MqttError with a stable `code`.
import { MqttError, nameErrorClass } from '../packet/errors.js'

export type StoreErrorCode =
  | 'ERR_STORE_CORRUPT' // a record before the end of the log fails its checksum or cannot be read
  | 'ERR_STORE_FOREIGN' // the log file is not a Petrel session log, or one of a newer format version
  | 'ERR_STORE_FULL' // putOutgoing would take the live state past maxBytes
  | 'ERR_STORE_LOCKED' // another live process (or another store in this one) uses the directory
  | 'ERR_STORE_CLOSED' // the store was closed or destroyed
  | 'ERR_STORE_IO' // the file system refused a read or write (disk full, permissions...)

export class StoreError extends MqttError {
  static {
    nameErrorClass(StoreError, 'StoreError')
  }
  declare readonly code: StoreErrorCode

  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options)
  }
}
