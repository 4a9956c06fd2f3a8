#!/usr/bin/env node
// The `petrel` command: pub, sub, bench, broker, demo.
import { bench } from './bench.js'
import { broker } from './broker.js'
import { pub } from './pub.js'
import { EXIT } from './run.js'
import { sub } from './sub.js'

const USAGE = `Usage: petrel <command> [options]

Commands:
  pub      publish messages (mosquitto_pub's flags)
  sub      subscribe and print messages (mosquitto_sub's flags)
  bench    load test: conn | pub | sub scenarios
  broker   run the embedded development broker
  demo     a guided tour against an embedded broker

petrel <command> --help shows a command's options; docs/cli.md has them all.`

async function demo(): Promise<number> {
  // The demo module runs when imported and sets process.exitCode; a `main` export is called if present.
  const module = (await import('./demo.js')) as { main?: () => Promise<number> }
  return typeof module.main === 'function' ? module.main() : ((process.exitCode as number | undefined) ?? EXIT.OK)
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  // Ctrl-C ends sub, bench and broker cleanly (DISCONNECT, close) instead of killing them.
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    switch (command) {
      case 'pub':
        return await pub(rest)
      case 'sub':
        return await sub(rest, stop.signal)
      case 'bench':
        return await bench(rest, stop.signal)
      case 'broker':
        return await broker(rest, stop.signal)
      case 'demo':
        return await demo()
      case undefined:
      case '--help':
      case 'help':
        console.log(USAGE)
        return command === undefined ? EXIT.ERROR : EXIT.OK
      default:
        console.error(`Error: unknown command '${command}'\n${USAGE}`)
        return EXIT.ERROR
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error('petrel failed:', error)
    process.exitCode = EXIT.ERROR
  },
)
