// One process per store directory: a second opener is refused while the owner lives; a lock left by a
// process that died is taken over.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { createFileStore } from '../../src/store/index.js'
import { message, storeDir } from './helpers.js'

function lockPath(dir: string): string {
  return join(dir, 'session.lock')
}

describe('file store: lock', () => {
  test('a second store on the same directory is refused until the first closes', () => {
    const dir = storeDir()
    const first = createFileStore(dir)
    assert.equal(readFileSync(lockPath(dir), 'utf8'), `${process.pid}\n`)
    assert.throws(() => createFileStore(dir), { name: 'StoreError', code: 'ERR_STORE_LOCKED' })
    first.putOutgoing(message(1)) // the refused opener changed nothing
    first.close()
    assert.throws(() => readFileSync(lockPath(dir)), { code: 'ENOENT' })
    const second = createFileStore(dir)
    assert.equal(second.load()?.outgoing.length, 1)
    second.close()
  })

  test('a lock held by another running process is refused', async () => {
    const dir = storeDir()
    mkdirSync(dir, { recursive: true })
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' })
    try {
      writeFileSync(lockPath(dir), `${other.pid}\n`)
      assert.throws(() => createFileStore(dir), { code: 'ERR_STORE_LOCKED' })
    } finally {
      const exited = new Promise((resolve) => other.once('exit', resolve))
      other.kill('SIGKILL')
      await exited
    }
    // Now its process is gone: the lock is stale.
    const store = createFileStore(dir)
    assert.equal(readFileSync(lockPath(dir), 'utf8'), `${process.pid}\n`)
    store.close()
  })

  test('a stale lock (its process died) or an unreadable one is taken over', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid
    for (const content of [`${dead}\n`, 'garbage']) {
      const dir = storeDir()
      mkdirSync(dir, { recursive: true })
      writeFileSync(lockPath(dir), content)
      const store = createFileStore(dir)
      assert.equal(readFileSync(lockPath(dir), 'utf8'), `${process.pid}\n`)
      store.close()
    }
  })

  test('a store that fails to open (a foreign log) releases its lock', () => {
    const dir = storeDir()
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'session.log'), 'not a log at all')
    assert.throws(() => createFileStore(dir), { code: 'ERR_STORE_FOREIGN' })
    assert.throws(() => readFileSync(lockPath(dir)), { code: 'ENOENT' })
  })
})
