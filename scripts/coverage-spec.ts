// Spec coverage: which normative client statements (/work/shared/spec/*-client.md) the tests name in their
// titles, per protocol version. Usage: npm run coverage:spec [-- --where]
//
// Convention (docs/conformance.md): a test names the statements it asserts in its title, in square brackets.
//   [MQTT-3.3.1-1]                      the MQTT 5.0 statement with that id (5.0 is the default)
//   [3.1.1: MQTT-3.3.1-1]               the MQTT 3.1.1 statement with that id
//   [3.1.1: MQTT-3.1.2-11, MQTT-3.1.2-13] several 3.1.1 ids in one bracket ("5.0:" may be written too)
// The two versions number their statements differently, so a test that checks a rule in both versions names
// both: `[MQTT-3.3.1-2] [3.1.1: MQTT-3.3.1-2]`. Only titles count: the first argument of a call to `test`,
// `it` or `describe` (also `x.test(...)`), and only its literal text (an id inside `${...}` is not seen);
// ids in a describe title apply to the tests inside it. Ids in comments or data do not count.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { UNCOVERED_REASONS } from './spec-uncovered-reasons.js'

const SPEC_DIR = process.env.SPEC_DIR ?? '/work/shared/spec'
const VERSIONS = [
  { version: '5.0', file: 'mqtt-5.0-client.md' },
  { version: '3.1.1', file: 'mqtt-3.1.1-client.md' },
] as const
type Version = (typeof VERSIONS)[number]['version']

const TITLE_CALLS = new Set(['test', 'it', 'describe'])
const CITATION = /\[(?:(3\.1\.1|5\.0):\s*)?(MQTT-[\d.]+-\d+(?:[\s,]+MQTT-[\d.]+-\d+)*)\]/g

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

/** The literal text of a title argument: string, template without substitutions, or a template's fixed parts. */
function literalText(node: ts.Node | undefined): string | undefined {
  if (node === undefined) return undefined
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ')
  return undefined
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text
  return undefined
}

/** Every test/it/describe title in a file. */
function titles(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && TITLE_CALLS.has(calleeName(node.expression) ?? '')) {
      const title = literalText(node.arguments[0])
      if (title !== undefined) found.push(title)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** Version -> id -> the titles that name it. */
function citations(): Map<Version, Map<string, string[]>> {
  const named = new Map<Version, Map<string, string[]>>(VERSIONS.map(({ version }) => [version, new Map()]))
  for (const file of testFiles('test')) {
    for (const title of titles(file)) {
      for (const match of title.matchAll(CITATION)) {
        const version = (match[1] ?? '5.0') as Version
        for (const id of match[2]!.split(/[\s,]+/)) {
          const byId = named.get(version)!
          byId.set(id, [...(byId.get(id) ?? []), `${file}: ${title}`])
        }
      }
    }
  }
  return named
}

const where = process.argv.includes('--where')
const named = citations()
for (const { version, file } of VERSIONS) {
  const rows = statements(file)
  const cited = named.get(version)!
  const covered = [...rows.keys()].filter((id) => cited.has(id))
  const percent = ((covered.length / rows.size) * 100).toFixed(1)
  console.log(`MQTT ${version} client statements covered: ${covered.length}/${rows.size} (${percent}%)`)
  for (const [id, text] of rows) {
    if (cited.has(id)) {
      if (where) for (const title of cited.get(id)!) console.log(`  ${id} <- ${title}`)
      continue
    }
    console.log(`  ${id}: ${UNCOVERED_REASONS[version][id] ?? 'not yet tested'} — ${text}`)
  }
  const strays = [...cited.keys()].filter((id) => !rows.has(id))
  for (const id of strays) {
    console.log(`  named but not a ${version} client statement: ${id} (${cited.get(id)!.join('; ')})`)
  }
}
