// petrel broker: the embedded development broker (Aedes, MQTT 3.1 / 3.1.1) until Ctrl-C.
import { startBroker } from '../broker/index.js'
import { intOption, parseArgs } from './args.js'
import { EXIT, reportError } from './run.js'

const BROKER_USAGE = `Usage: petrel broker [--port 1883] [--ws-port port] [--host 127.0.0.1] [-v]
See docs/cli.md.`

const FLAGS = {
  '--port': { name: 'port', kind: 'value' },
  '-p': { name: 'port', kind: 'value' },
  '--ws-port': { name: 'ws-port', kind: 'value' },
  '--host': { name: 'host', kind: 'value' },
  '-v': { name: 'verbose', kind: 'flag' },
  '--help': { name: 'help', kind: 'flag' },
} as const

export async function broker(argv: readonly string[], signal: AbortSignal): Promise<number> {
  try {
    const args = parseArgs(argv, FLAGS)
    if (args.flags.has('help')) {
      console.log(BROKER_USAGE)
      return EXIT.OK
    }
    const port = intOption(args, 'port', '--port', 1883, 0, 65535)
    const wsPort = args.values.has('ws-port') ? intOption(args, 'ws-port', '--ws-port', 0, 0, 65535) : undefined
    const verbose = args.flags.has('verbose')
    const running = await startBroker({
      port,
      wsPort,
      host: args.values.get('host'),
      // Client errors (a version fallback shows up as one) are noise unless asked for.
      logger: verbose ? { debug: (line) => console.log(line), warn: (line) => console.error(line) } : undefined,
    })
    console.log(
      `petrel broker listening on ${running.url}${running.wsUrl === undefined ? '' : ` and ${running.wsUrl}`}`,
    )
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
    await running.close()
    console.log('petrel broker stopped')
    return EXIT.OK
  } catch (error) {
    return reportError(error, BROKER_USAGE)
  }
}
