// Runs the petrel command line as a user would (a separate node process through tsx).
import { fileURLToPath } from 'node:url'
import { type RunOptions, type RunResult, runTsx } from '../support/run-tsx.js'

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))

/** Runs `petrel ...args`, feeding `stdin` when given; kills it after `timeoutMs`. */
export function runCli(args: string[], options: Pick<RunOptions, 'stdin' | 'timeoutMs'> = {}): Promise<RunResult> {
  return runTsx(MAIN, args, options)
}
