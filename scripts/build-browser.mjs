// Builds dist/browser/petrel.min.js: one minified ES module for browsers from src/browser.ts, with the
// browser connector in place of the Node one, no Node polyfills, and prints its raw and gzipped size.
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outfile = resolve(root, 'dist/browser/petrel.min.js')

/** src/client/connectors-node.js → src/client/connectors-browser.ts */
const browserConnectors = {
  name: 'browser-connectors',
  setup(context) {
    context.onResolve({ filter: /\/connectors-node\.js$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.replace(/connectors-node\.js$/, 'connectors-browser.ts')),
    }))
  },
}

mkdirSync(dirname(outfile), { recursive: true })
await build({
  entryPoints: [resolve(root, 'src/browser.ts')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  plugins: [browserConnectors],
  logLevel: 'warning',
})

const code = readFileSync(outfile)
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`
console.log(
  `dist/browser/petrel.min.js: ${kib(code.length)} minified, ${kib(gzipSync(code, { level: 9 }).length)} gzipped`,
)
