// A script that connects, publishes and disconnects must exit by itself: nothing (timer, socket, reconnect
// loop) may keep the event loop alive after disconnect().
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { startBroker } from '../../src/broker/index.js'

const script = fileURLToPath(new URL('./fixtures/connect-publish-disconnect.ts', import.meta.url))

test('lifecycle - the process exits on its own after disconnect()', async (t) => {
  const broker = await startBroker({ port: 0 })
  t.after(() => broker.close())
  const child = spawn(process.execPath, ['--import', 'tsx', script, broker.url], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exit = await new Promise<number | null>((resolve, reject) => {
    // The broker stays up: only the client's own resources could keep the child alive.
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`the child did not exit within 10 s; output: ${output}`))
    }, 10_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
  assert.equal(exit, 0, output)
  assert.match(output, /done closed/)
})
