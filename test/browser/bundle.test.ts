// The browser bundle (dist/browser/petrel.min.js, made by npm run build) must stand on the web platform
// alone: no CommonJS, no Node built-ins, no Buffer or process polyfill targets, and stay small.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { BUNDLE, readBundle } from './harness.js'

test('the browser bundle has no Node references', () => {
  const code = readBundle()
  assert.equal(code.match(/\brequire\(/g), null)
  assert.equal(code.match(/node:/g), null)
  assert.equal(code.match(/\bBuffer\b/g), null)
  assert.equal(code.match(/\bprocess\./g), null)
  assert.match(code, /\bexport\s*\{/)
})

test('the browser bundle stays within its size budget', () => {
  const code = Buffer.from(readBundle())
  const gzipped = gzipSync(code, { level: 9 }).length
  // Measured 27,136 bytes with esbuild + terser (error names kept); the target is 25 KB (MQTT.js is about
  // 110 KB). Not reached yet (docs/transports.md says where the bytes go): the guard stops growth meanwhile.
  assert.ok(gzipped <= 27_500, `gzipped bundle is ${gzipped} bytes (${(gzipped / 1024).toFixed(1)} KiB)`)
})

test('error classes keep their names in the minified bundle (error.name is not the minifier’s)', async () => {
  const bundle: Record<string, unknown> = await import(pathToFileURL(BUNDLE).href)
  const errorClasses = Object.entries(bundle).filter(
    (entry): entry is [string, { prototype: Error }] =>
      typeof entry[1] === 'function' && (entry[1] as { prototype: unknown }).prototype instanceof Error,
  )
  assert.ok(errorClasses.length >= 10, `found ${errorClasses.length} error classes`)
  for (const [exportName, errorClass] of errorClasses) assert.equal(errorClass.prototype.name, exportName)
})
