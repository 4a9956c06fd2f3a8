// createFileStore(): a SessionStore that survives kill -9. Every store call appends one checksummed record
// to <directory>/session.log with a synchronous write, so the record is in the operating system's page cache
// before the session goes on (and before the packet it describes reaches the socket). On open, the log is
// replayed; a torn last record (a crash mid-append) is cut off. The log is compacted, by writing the live
// state to a new file and renaming it over the old one, once it is both over `compactAfter` bytes and four
// times the live state. A lock file keeps a second process out.
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { invalidArgument } from '../session/errors.js'
import type { PersistedSession, SessionStore, StoredOutgoing, StoredSubscription } from '../session/store.js'
import { StoreError } from './errors.js'
import { LiveState } from './live-state.js'
import { acquireLock } from './lock-node.js'
import { fileHeader, frameRecord, scanLog } from './log-format.js'
import { copyProperties, type StoreRecord } from './records.js'

/**
 * - `never`: the operating system writes the log to disk when it chooses. Survives the process being killed.
 * - `batch` (default): as `never`, and the log is synced to disk at checkpoints: its creation, each
 *   compaction (new file and directory) and close(). A power loss can lose the records since the last one.
 * - `always`: fdatasync after every record. Survives power loss and operating system crashes; slow.
 */
export type FsyncPolicy = 'always' | 'batch' | 'never'

export interface FileStoreOptions {
  fsync?: FsyncPolicy
  /** Bound on the live state (a compacted log), in bytes; putOutgoing beyond it throws ERR_STORE_FULL. Default 64 MiB. */
  maxBytes?: number
  /** Compact once the log is over this many bytes (and four times the live state). Default 1 MiB. */
  compactAfter?: number
}

export interface FileStoreStats {
  /** Bytes in the log file now. */
  logBytes: number
  /** Bytes a compacted log would take: what `maxBytes` bounds. */
  liveBytes: number
  /** Outgoing messages stored (queued or in flight). */
  outgoing: number
  compactions: number
  /** Bytes of a torn last record cut off when the log was opened. */
  tornBytes: number
  /** Why the last compaction failed, if it did (the log stays valid; it is retried once it doubles). */
  compactionError?: StoreError
}

export interface FileSessionStore extends SessionStore {
  readonly directory: string
  stats(): FileStoreStats
  /** Forgets the whole session (an empty log). */
  clear(): void
  /** Syncs (unless fsync is 'never'), closes the log and releases the lock. Idempotent. */
  close(): void
  /** Deletes the log and the lock: the session is gone. */
  destroy(): void
}

const LOG_FILE = 'session.log'
const LOCK_FILE = 'session.lock'
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024
const DEFAULT_COMPACT_AFTER = 1024 * 1024
const WRITE_CHUNK = 1024 * 1024

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code
}

function ioError(what: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error
  return new StoreError('ERR_STORE_IO', `${what}: ${(error as Error).message}`, { cause: error })
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done)
}

/** Makes a rename durable. Some platforms and file systems cannot sync a directory; nothing more can be done there. */
function syncDirectory(directory: string): void {
  let fd: number
  try {
    fd = openSync(directory, 'r')
  } catch (error) {
    if (errorCode(error) === 'EISDIR' || errorCode(error) === 'EPERM') return
    throw error
  }
  try {
    fsyncSync(fd)
  } catch (error) {
    if (errorCode(error) !== 'EINVAL') throw error
  } finally {
    closeSync(fd)
  }
}

function checkOptions(options: FileStoreOptions): Required<FileStoreOptions> {
  const { fsync = 'batch', maxBytes = DEFAULT_MAX_BYTES, compactAfter = DEFAULT_COMPACT_AFTER } = options
  if (fsync !== 'always' && fsync !== 'batch' && fsync !== 'never') {
    throw invalidArgument(`fsync must be 'always', 'batch' or 'never', got ${String(fsync)}`)
  }
  if (!(maxBytes > 0)) throw invalidArgument('maxBytes must be a positive number of bytes')
  if (!(compactAfter >= 0)) throw invalidArgument('compactAfter must be a number of bytes, 0 or more')
  return { fsync, maxBytes, compactAfter }
}

export function createFileStore(directory: string, options: FileStoreOptions = {}): FileSessionStore {
  return new FileStore(directory, checkOptions(options))
}

class FileStore implements FileSessionStore {
  readonly directory: string
  private readonly logPath: string
  private readonly options: Required<FileStoreOptions>
  private readonly releaseLock: () => void
  private live = new LiveState()
  private fd: number | undefined
  private logBytes = 0
  private compactions = 0
  private tornBytes = 0
  private compactionError: StoreError | undefined
  /** After a failed compaction, the log size at which to try again. */
  private retryCompactionAt = 0
  /** Set when a failed append could not be undone: appending more would bury a torn record mid-log. */
  private broken: StoreError | undefined
  private closed = false

  constructor(directory: string, options: Required<FileStoreOptions>) {
    this.directory = directory
    this.options = options
    this.logPath = join(directory, LOG_FILE)
    try {
      mkdirSync(directory, { recursive: true })
    } catch (error) {
      throw ioError(`cannot create ${directory}`, error)
    }
    this.releaseLock = acquireLock(join(directory, LOCK_FILE))
    try {
      this.open()
    } catch (error) {
      this.releaseLock()
      throw ioError(`cannot open ${this.logPath}`, error)
    }
  }

  private open(): void {
    rmSync(this.tempPath(), { force: true }) // a compaction cut short by a crash: the old log is intact
    let bytes: Uint8Array
    try {
      const file = readFileSync(this.logPath)
      bytes = new Uint8Array(file.buffer, file.byteOffset, file.length) // slice() on a Buffer would not copy
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error
      bytes = new Uint8Array(0)
    }
    const scan = scanLog(bytes, this.logPath, (record, frameBytes) => this.live.apply(record, frameBytes))
    this.tornBytes = scan.tornBytes
    if (scan.validLength === 0) {
      this.rewrite() // a new log: written like a compacted one, so that it appears whole or not at all
      return
    }
    if (scan.tornBytes > 0) truncateSync(this.logPath, scan.validLength)
    this.logBytes = scan.validLength
    this.fd = openSync(this.logPath, 'a')
  }

  // ---- SessionStore ------------------------------------------------------------------------------------

  load(): PersistedSession | undefined {
    this.usable()
    return this.live.snapshot()
  }

  setClientId(clientId: string): void {
    this.record({ type: 'clientId', clientId })
  }

  putOutgoing(message: StoredOutgoing): void {
    // A copy: the caller's payload buffer may be reused after publish().
    const copy: StoredOutgoing = { ...message, payload: message.payload.slice() }
    if (message.properties !== undefined) copy.properties = copyProperties(message.properties)
    this.record({ type: 'putOutgoing', message: copy })
  }

  updateOutgoing(message: StoredOutgoing): void {
    const { seq, state, dup, releaseOrder } = message
    this.record(
      releaseOrder === undefined
        ? { type: 'updateOutgoing', seq, state, dup }
        : { type: 'updateOutgoing', seq, state, dup, releaseOrder },
    )
  }

  removeOutgoing(seq: number): void {
    this.record({ type: 'removeOutgoing', seq })
  }

  addIncomingQos2(packetId: number): void {
    this.record({ type: 'addIncoming', packetId })
  }

  removeIncomingQos2(packetId: number): void {
    this.record({ type: 'removeIncoming', packetId })
  }

  putSubscription(subscription: StoredSubscription): void {
    this.record({ type: 'putSubscription', subscription: structuredClone(subscription) })
  }

  removeSubscription(topic: string): void {
    this.record({ type: 'removeSubscription', topic })
  }

  clearIncoming(): void {
    this.record({ type: 'clearIncoming' })
  }

  // ---- file store --------------------------------------------------------------------------------------

  stats(): FileStoreStats {
    const stats: FileStoreStats = {
      logBytes: this.logBytes,
      liveBytes: this.live.bytes,
      outgoing: this.live.outgoingCount,
      compactions: this.compactions,
      tornBytes: this.tornBytes,
    }
    if (this.compactionError !== undefined) stats.compactionError = this.compactionError
    return stats
  }

  clear(): void {
    this.usable()
    this.live = new LiveState()
    try {
      this.rewrite()
    } catch (error) {
      throw ioError(`cannot clear ${this.logPath}`, error)
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    const fd = this.fd
    this.fd = undefined
    try {
      if (fd !== undefined && this.options.fsync !== 'never' && this.broken === undefined) fdatasyncSync(fd)
    } finally {
      if (fd !== undefined) closeSync(fd)
      this.releaseLock()
    }
  }

  destroy(): void {
    this.usable()
    // The log goes first, while the lock still keeps other processes out.
    try {
      unlinkSync(this.logPath)
    } catch (error) {
      throw ioError(`cannot delete ${this.logPath}`, error)
    }
    this.close()
  }

  // ---- internals ---------------------------------------------------------------------------------------

  private usable(): void {
    if (this.closed) throw new StoreError('ERR_STORE_CLOSED', `the store at ${this.directory} is closed`)
    if (this.broken !== undefined) throw this.broken
  }

  /** Appends `record` (unless it changes nothing) and applies it to the live state. */
  private record(record: StoreRecord): void {
    this.usable()
    if (!this.live.changes(record)) return
    const frame = frameRecord(record)
    if (record.type === 'putOutgoing') {
      const after = this.live.bytes - this.live.outgoingBytes(record.message.seq) + frame.length
      if (after > this.options.maxBytes) {
        throw new StoreError(
          'ERR_STORE_FULL',
          `storing message ${record.message.seq} would take the session to ${after} bytes, over maxBytes ${this.options.maxBytes}`,
        )
      }
    }
    this.append(frame)
    this.live.apply(record, frame.length)
    this.maybeCompact()
  }

  private append(frame: Uint8Array): void {
    const fd = this.fd!
    try {
      writeAll(fd, frame)
      if (this.options.fsync === 'always') fdatasyncSync(fd)
    } catch (error) {
      const failure = ioError(`cannot append to ${this.logPath}`, error)
      // Cut off whatever part of the frame was written, so that the next append does not follow a torn one.
      try {
        ftruncateSync(fd, this.logBytes)
      } catch {
        this.broken = failure
      }
      throw failure
    }
    this.logBytes += frame.length
  }

  private maybeCompact(): void {
    const { logBytes } = this
    if (logBytes < this.options.compactAfter || logBytes < 4 * this.live.bytes || logBytes < this.retryCompactionAt) {
      return
    }
    try {
      this.rewrite()
      this.compactions++
      this.compactionError = undefined
      this.retryCompactionAt = 0
    } catch (error) {
      // The record that triggered this is safely in the old log, which is still whole: report, go on.
      this.compactionError = ioError('compaction failed', error)
      this.retryCompactionAt = 2 * logBytes
    }
  }

  private tempPath(): string {
    return `${this.logPath}.compact`
  }

  /** Writes the live state to a new file and renames it over the log: the log changes whole or not at all. */
  private rewrite(): void {
    const sync = this.options.fsync !== 'never'
    const temp = this.tempPath()
    let written = 0
    const fd = openSync(temp, 'w')
    try {
      let chunk: Uint8Array[] = [fileHeader()]
      let chunkBytes = chunk[0]!.length
      const flush = () => {
        writeAll(fd, Buffer.concat(chunk, chunkBytes))
        written += chunkBytes
        chunk = []
        chunkBytes = 0
      }
      for (const record of this.live.records()) {
        const frame = frameRecord(record)
        chunk.push(frame)
        chunkBytes += frame.length
        if (chunkBytes >= WRITE_CHUNK) flush()
      }
      flush()
      if (sync) fsyncSync(fd)
    } catch (error) {
      closeSync(fd)
      rmSync(temp, { force: true })
      throw error
    }
    closeSync(fd)
    if (this.fd !== undefined) closeSync(this.fd) // closed before the rename: Windows cannot rename over an open file
    this.fd = undefined
    try {
      renameSync(temp, this.logPath)
      this.logBytes = written
    } finally {
      this.fd = openSync(this.logPath, 'a')
    }
    if (sync) syncDirectory(this.directory)
  }
}
