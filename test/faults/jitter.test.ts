// 1,000 clients dropped at once do not come back at once. With the default reconnect policy (minDelay 1000 ms,
// proportional jitter 0.5) each client's first attempt is drawn uniformly from [500, 1000] ms after it notices
// the drop: no 10 ms slice of that window gets more than 5% of the clients (2% expected), and no client comes
// back before its delay. A raw TCP server accepts the connections, answers each CONNECT with a CONNACK,
// destroys every socket at once and notes when each client's new CONNECT arrives; the wait is counted from
// that client's 'offline' event, so the time this process takes to deliver 1,000 closes does not blur it.
import assert from 'node:assert/strict'
import { createServer, type Socket } from 'node:net'
import { test } from 'node:test'
import { type Client, createClient } from '../../src/index.js'

const CLIENTS = 1_000
const CONNACK = Uint8Array.of(0x20, 0x02, 0x00, 0x00)
/** Uniform over 500 ms: 2% of the delays per 10 ms slice expected, at most 5% allowed. */
const DELAY_SLICE_MS = 10
/**
 * Arrivals also carry this process's own timer lateness (1,000 clients share one event loop, on a machine
 * that may be busy): 10% per 50 ms slice expected, at most 25% allowed; without jitter nearly all would share one.
 */
const ARRIVAL_SLICE_MS = 50

test('1,000 clients dropped at once reconnect spread over the jitter window', { timeout: 60_000 }, async (t) => {
  const sockets = new Set<Socket>()
  let arrivals: Map<string, number> | undefined
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    socket.on('data', (chunk) => {
      if (chunk[0] !== 0x10) return
      arrivals?.set(connectClientId(chunk), performance.now())
      socket.write(CONNACK)
    })
  })
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, resolve))
  const { port } = server.address() as { port: number }
  const clients: Client[] = []
  t.after(async () => {
    await Promise.all(clients.map((client) => client.close()))
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  })

  for (let i = 0; i < CLIENTS; i += 100) {
    const batch = Array.from({ length: 100 }, (_, j) =>
      createClient(`mqtt://127.0.0.1:${port}`, { clientId: `herd-${i + j}`, protocolVersion: 4, keepalive: 600 }),
    )
    clients.push(...batch)
    await Promise.all(batch.map((client) => client.connect()))
  }
  const offlineAt = new Map<string, number>()
  const chosenDelay = new Map<string, number>()
  for (const client of clients) {
    client.once('offline', () => offlineAt.set(client.clientId, performance.now()))
    client.once('reconnecting', ({ delay }) => chosenDelay.set(client.clientId, delay))
  }
  const reconnected = Promise.all(clients.map((client) => new Promise((resolve) => client.once('connect', resolve))))

  const arrived = new Map<string, number>()
  arrivals = arrived
  for (const socket of sockets) socket.destroy()
  await reconnected
  arrivals = undefined

  assert.equal(arrived.size, CLIENTS)
  const delays = [...chosenDelay.values()]
  const waited = [...arrived].map(([id, at]) => ({ id, after: at - offlineAt.get(id)! }))
  const busiestDelay = busiestSlice(delays, DELAY_SLICE_MS)
  const busiestArrival = busiestSlice(
    waited.map((w) => w.after),
    ARRIVAL_SLICE_MS,
  )
  t.diagnostic(
    `delays ${Math.min(...delays)}..${Math.max(...delays)} ms, busiest ${DELAY_SLICE_MS} ms: ${busiestDelay}; ` +
      `arrivals ${Math.min(...waited.map((w) => w.after)).toFixed(0)}..` +
      `${Math.max(...waited.map((w) => w.after)).toFixed(0)} ms, busiest ${ARRIVAL_SLICE_MS} ms: ${busiestArrival}`,
  )
  // The client's choices: within [0.5, 1] × minDelay and spread out.
  assert.ok(delays.every((delay) => delay >= 500 && delay <= 1000))
  assert.ok(busiestDelay <= CLIENTS * 0.05, `${busiestDelay} delays within one ${DELAY_SLICE_MS} ms slice`)
  // What the server saw: nobody earlier than the client's delay, and no herd even on a loaded machine.
  // (The client's timer runs on Date.now(), whole milliseconds: 1 ms of rounding.)
  for (const { id, after } of waited) assert.ok(after >= chosenDelay.get(id)! - 1, `${id} came back after ${after} ms`)
  assert.ok(busiestArrival <= CLIENTS * 0.25, `${busiestArrival} arrivals within one ${ARRIVAL_SLICE_MS} ms slice`)
})

/** The largest number of values falling into one slice [k·width, (k+1)·width). */
function busiestSlice(values: number[], width: number): number {
  const counts = new Map<number, number>()
  for (const value of values) {
    const slice = Math.floor(value / width)
    counts.set(slice, (counts.get(slice) ?? 0) + 1)
  }
  return Math.max(...counts.values())
}

/** The client id of an MQTT 3.1.1 CONNECT: after the remaining length, "MQTT", level, flags and keepalive. */
function connectClientId(connect: Uint8Array): string {
  let at = 1
  while (connect[at]! & 0x80) at++
  at += 1 + 6 + 1 + 1 + 2
  const length = (connect[at]! << 8) | connect[at + 1]!
  return new TextDecoder().decode(connect.subarray(at + 2, at + 2 + length))
}
