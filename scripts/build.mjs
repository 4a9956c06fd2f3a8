// Builds dist/esm (ES modules + declarations), dist/cjs (CommonJS + declarations) and dist/browser (one
// minified ES module for browsers, by scripts/build-browser.mjs).
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'

const tsc = (project) =>
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' })

rmSync('dist', { recursive: true, force: true })
tsc('tsconfig.build.json')
tsc('tsconfig.cjs.json')
// The package is "type": "module"; this marker makes Node read dist/cjs as CommonJS.
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n')
execFileSync(process.execPath, ['scripts/build-browser.mjs'], { stdio: 'inherit' })
