// 10,000 connect / disconnect cycles leave nothing behind: the heap after a full GC grows by less than 1 MiB
// between cycle 1,000 and cycle 10,000 (a leak of 120 bytes per cycle would fail), and no timer, socket or
// process listener remains. The client runs in a child process with --expose-gc; the server is a raw TCP
// socket answering each CONNECT with a CONNACK (0x20 0x02 0x00 0x00), so a cycle costs little besides the client.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createServer, type Socket } from 'node:net'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const FIXTURE = fileURLToPath(new URL('./fixtures/connect-cycles.ts', import.meta.url))
const CYCLES = 10_000
const WARMUP = 1_000
const MAX_GROWTH = 1024 * 1024
const CONNACK = Uint8Array.of(0x20, 0x02, 0x00, 0x00)

test('10,000 connect/disconnect cycles leave heap, timers, sockets and listeners flat', {
  timeout: 120_000,
}, async (t) => {
  const open = new Set<Socket>()
  let accepted = 0
  const server = createServer((socket) => {
    accepted++
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    socket.on('error', () => {})
    // Every chunk that starts with CONNECT (0x10) gets a CONNACK; DISCONNECT and the FIN end the socket.
    socket.on('data', (chunk) => {
      if (chunk[0] === 0x10) socket.write(CONNACK)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const { port } = server.address() as { port: number }

  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', FIXTURE, String(port), String(CYCLES), String(WARMUP)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  assert.equal(code, 0, stderr)
  const result = JSON.parse(stdout.trim().split('\n').pop()!)
  t.diagnostic(`${CYCLES} cycles in ${result.ms} ms; heap ${result.heapAtWarmup} -> ${result.heapAtEnd} bytes`)

  assert.equal(accepted, CYCLES)
  const growth = result.heapAtEnd - result.heapAtWarmup
  assert.ok(growth < MAX_GROWTH, `the heap grew by ${growth} bytes over ${CYCLES - WARMUP} cycles`)
  assert.deepEqual(result.resourcesAfter, result.resourcesBefore, 'timers or sockets left behind')
  assert.equal(result.listenersAfter, result.listenersBefore, 'process listeners left behind')
  // The child exited on its own (nothing kept its event loop alive); every server-side socket is closed.
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(open.size, 0)
})
