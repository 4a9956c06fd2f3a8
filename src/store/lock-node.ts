// One process at a time per store directory: two writers appending to one log would interleave frames.
// The lock is a file holding the owner's pid, created atomically with its content (written to a private
// file, then hard-linked to the lock name, which fails if the lock exists). A lock whose pid is no longer
// running was left by a crash and is taken over.
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { StoreError } from './errors.js'

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0) // signal 0: only checks that the process exists
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' // it exists, but belongs to another user
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code
}

function ioError(what: string, error: unknown): StoreError {
  return new StoreError('ERR_STORE_IO', `${what}: ${(error as Error).message}`, { cause: error })
}

/** The pid recorded in the lock and the lock file's identity, or undefined when there is no lock. */
function readLock(path: string): { pid: number; ino: number } | undefined {
  try {
    const ino = statSync(path).ino
    return { pid: Number.parseInt(readFileSync(path, 'utf8'), 10), ino }
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw ioError(`cannot read the lock ${path}`, error)
  }
}

function tryLink(source: string, path: string): boolean {
  try {
    linkSync(source, path)
    return true
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false
    throw ioError(`cannot create the lock ${path}`, error)
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path)
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw ioError(`cannot remove ${path}`, error)
  }
}

/** Takes the lock at `path` for this process; returns the function that releases it. */
export function acquireLock(path: string): () => void {
  const mine = `${path}.${process.pid}`
  writeFileSync(mine, `${process.pid}\n`)
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (tryLink(mine, path)) return () => removeIfPresent(path)
      const holder = readLock(path)
      if (holder === undefined) continue // released meanwhile
      // A lock of this very process is another store on the same directory: refused like any live owner.
      if (Number.isInteger(holder.pid) && isRunning(holder.pid)) {
        throw new StoreError('ERR_STORE_LOCKED', `${path} is held by running process ${holder.pid}`)
      }
      // Stale: remove it unless another process replaced it since we looked.
      if (readLock(path)?.ino === holder.ino) removeIfPresent(path)
    }
    throw new StoreError('ERR_STORE_LOCKED', `${path} is being taken over by another process`)
  } finally {
    removeIfPresent(mine)
  }
}
