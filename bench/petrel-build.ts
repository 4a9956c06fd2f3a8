// The Petrel the benchmarks measure: src/ bundled by esbuild into one ES module, as a user gets it from the
// package (plain JavaScript, no TypeScript loader). Running src/ through tsx instead would not be fair to
// Petrel: tsx compiles with `keepNames`, which wraps every function in a name-defining helper, giving
// each closure a property dictionary (about 13 per connection, ~3.4 KB) and costing calls on hot paths,
// while MQTT.js runs from its published JavaScript.
import { mkdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

/** Set by the parent process so that child processes (the memory workload) reuse its build. */
const ENV = 'PETREL_BENCH_BUILD'

export async function petrelBuild(): Promise<string> {
  const existing = process.env[ENV]
  if (existing !== undefined) return existing
  const root = new URL('../', import.meta.url)
  const dir = fileURLToPath(new URL('node_modules/.cache/petrel-bench/', root))
  mkdirSync(dir, { recursive: true })
  const outfile = `${dir}petrel.mjs`
  await build({
    entryPoints: [fileURLToPath(new URL('src/index.ts', root))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    // Optional dependencies (ws, socks, aedes) stay imports, resolved from node_modules as in a real install.
    packages: 'external',
    logLevel: 'warning',
  })
  const url = pathToFileURL(outfile).href
  process.env[ENV] = url
  return url
}
