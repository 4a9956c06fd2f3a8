// Spec coverage: which normative client statements (/work/shared/spec/*-client.md) the tests name in their
// titles, per protocol version. Usage: npm run coverage:spec
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { OUT_OF_SCOPE } from './spec-uncovered-reasons.js'

const SPEC_DIR = process.env.SPEC_DIR ?? '/work/shared/spec'
const SPECS = [
  { version: 'MQTT 5.0', file: 'mqtt-5.0-client.md' },
  { version: 'MQTT 3.1.1', file: 'mqtt-3.1.1-client.md' },
]

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return testFiles(path)
    return name.endsWith('.test.ts') ? [path] : []
  })
}

/** Statement ids (and their paraphrase) from the table rows of a spec list. */
function statements(file: string): Map<string, string> {
  const rows = new Map<string, string>()
  for (const line of readFileSync(join(SPEC_DIR, file), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    if (cells.length >= 5 && /^MQTT-[\d.]+-\d+$/.test(cells[1] ?? '')) rows.set(cells[1]!, cells[4]!)
  }
  return rows
}

const named = new Set<string>()
for (const file of testFiles('test')) {
  for (const match of readFileSync(file, 'utf8').matchAll(/\[(MQTT-[\d.]+-\d+)\]/g)) named.add(match[1]!)
}

for (const { version, file } of SPECS) {
  const rows = statements(file)
  const covered = [...rows.keys()].filter((id) => named.has(id))
  const percent = ((covered.length / rows.size) * 100).toFixed(1)
  console.log(`${version} client statements covered: ${covered.length}/${rows.size} (${percent}%)`)
  for (const [id, text] of rows) {
    if (named.has(id)) continue
    console.log(`  ${id}: ${OUT_OF_SCOPE[id] ?? 'not yet tested'} — ${text}`)
  }
}
