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
const { metafile } = await build({
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
  metafile: true,
})

const code = readFileSync(outfile)
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`
console.log(
  `dist/browser/petrel.min.js: ${kib(code.length)} minified, ${kib(gzipSync(code, { level: 9 }).length)} gzipped`,
)
// The biggest inputs (minified bytes each contributes), to see where the budget goes.
const inputs = Object.entries(metafile.outputs[Object.keys(metafile.outputs).find((f) => f.endsWith('.js'))].inputs)
const biggest = inputs.sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 8)
console.log(
  `  biggest inputs: ${biggest.map(([path, { bytesInOutput }]) => `${path} ${kib(bytesInOutput)}`).join(', ')}`,
)
