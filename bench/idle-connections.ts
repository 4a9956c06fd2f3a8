// Child process of the memory workload: opens N idle connections with one library and prints, as one JSON
// line, the heap, external (array buffers included) and RSS growth per connection after garbage collection.
// Run with --expose-gc, one process per library so that neither one's allocations count against the other.
//   node --expose-gc --import tsx bench/idle-connections.ts <petrel|mqttjs> <url> <count> <protocolVersion>
import type { BenchClient, LibraryName } from './libraries.js'
import { LIBRARIES } from './libraries.js'

const [name, url, countText, versionText] = process.argv.slice(2)
const library = LIBRARIES[name as LibraryName]
const count = Number(countText)
const protocolVersion = Number(versionText) as 4 | 5
if (library === undefined || !url || !(count > 0)) {
  console.error('usage: idle-connections.ts <petrel|mqttjs> <url> <count> <protocolVersion>')
  process.exit(2)
}

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) {
  console.error('run with node --expose-gc')
  process.exit(2)
}

function settle(): { heap: number; rss: number; external: number } {
  for (let i = 0; i < 3; i++) gc!()
  const usage = process.memoryUsage()
  // `external` includes arrayBuffers (socket and codec buffers): memory outside the JS heap, part of RSS.
  return { heap: usage.heapUsed, rss: usage.rss, external: usage.external }
}

// Warm up: one connection loads and JITs the library's connect path before the baseline.
const warm = await library.connect(url, `warm-${process.pid}`, protocolVersion)
await warm.end()
const before = settle()

const clients: BenchClient[] = []
const concurrency = 100
let next = 0
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const id = next++
      clients.push(await library.connect(url, `idle-${process.pid}-${id}`, protocolVersion))
    }
  }),
)
const after = settle()

console.log(
  JSON.stringify({
    library: library.name,
    count: clients.length,
    heapPerConnection: (after.heap - before.heap) / clients.length,
    externalPerConnection: (after.external - before.external) / clients.length,
    rssPerConnection: (after.rss - before.rss) / clients.length,
  }),
)
// The sockets are dropped with the process: closing 5,000 connections politely is not what is measured.
process.exit(0)
