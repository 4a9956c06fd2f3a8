// Shared pieces of the store tests: sample session data and a way to apply a session's calls to a store.
import { join } from 'node:path'
import type { StoredOutgoing, StoredSubscription } from '../../src/session/store.js'
import { createFileStore, type FileSessionStore, type FileStoreOptions } from '../../src/store/index.js'
import { makeTempDir } from '../support/tmp.js'

export function storeDir(): string {
  return join(makeTempDir('store'), 'session')
}

export function logPath(dir: string): string {
  return join(dir, 'session.log')
}

export function message(seq: number, overrides: Partial<StoredOutgoing> = {}): StoredOutgoing {
  return {
    seq,
    token: seq + 100,
    packetId: seq,
    topic: `t/${seq}`,
    payload: new TextEncoder().encode(`payload ${seq}`),
    qos: 1,
    retain: false,
    state: 'queued',
    dup: false,
    ...overrides,
  }
}

export const subscription: StoredSubscription = {
  topic: 'a/+/c',
  qos: 2,
  noLocal: true,
  retainAsPublished: false,
  retainHandling: 2,
  subscriptionIdentifier: 268_435_455,
  userProperties: [
    ['k', 'v'],
    ['k', 'ü'],
  ],
}

/** Opens the store, runs `calls` on it, closes it. */
export function withStore(dir: string, calls: (store: FileSessionStore) => void, options?: FileStoreOptions): void {
  const store = createFileStore(dir, options)
  try {
    calls(store)
  } finally {
    store.close()
  }
}

/** What a fresh store on `dir` loads (closing it again). */
export function reload(dir: string, options?: FileStoreOptions): ReturnType<FileSessionStore['load']> {
  let loaded: ReturnType<FileSessionStore['load']>
  withStore(
    dir,
    (store) => {
      loaded = store.load()
    },
    options,
  )
  return loaded
}
