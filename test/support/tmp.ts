// Temporary directories for tests, removed when the process exits (even after a failed test).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const created: string[] = []

process.once('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true })
})

/** A fresh directory under the system temp dir, e.g. /tmp/petrel-certs-Ab12Cd. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `petrel-${prefix}-`))
  created.push(dir)
  return dir
}
