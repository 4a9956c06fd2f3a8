// petrel pub: mosquitto_pub's flags. One message (-m, -f, -n, -s) or one per line of stdin (-l).
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Client } from '../client/client.js'
import { connect } from '../client/create.js'
import { InvalidArgumentError } from '../client/errors.js'
import type { Payload } from '../client/payload.js'
import { parseArgs, UsageError } from './args.js'
import { CONNECTION_FLAGS, connectionFromArgs, qosOption } from './connection.js'
import { propertiesFor } from './properties.js'
import { EXIT, reportError } from './run.js'

const PUB_USAGE = `Usage: petrel pub {[-h host] [-p port] | -L URL} -t topic {-m message | -f file | -l | -n | -s}
                  [-q qos] [-r] [-i id | -I id-prefix] [-k keepalive] [-u username [-P password]]
                  [--will-topic t [--will-payload p] [--will-qos q] [--will-retain]]
                  [--cafile file] [--cert file --key file] [--insecure] [-V 5|311|31] [-D command property value]
See docs/cli.md.`

const FLAGS = {
  ...CONNECTION_FLAGS,
  '-t': { name: 'topic', kind: 'value' },
  '--topic': { name: 'topic', kind: 'value' },
  '-m': { name: 'message', kind: 'value' },
  '--message': { name: 'message', kind: 'value' },
  '-f': { name: 'file', kind: 'value' },
  '--file': { name: 'file', kind: 'value' },
  '-l': { name: 'line-mode', kind: 'flag' },
  '--stdin-line': { name: 'line-mode', kind: 'flag' },
  '-n': { name: 'null-message', kind: 'flag' },
  '--null-message': { name: 'null-message', kind: 'flag' },
  '-s': { name: 'stdin-file', kind: 'flag' },
  '--stdin-file': { name: 'stdin-file', kind: 'flag' },
  '-r': { name: 'retain', kind: 'flag' },
  '--retain': { name: 'retain', kind: 'flag' },
} as const

type Source = { kind: 'one'; payload: Payload } | { kind: 'lines' }

function messageSource(args: ReturnType<typeof parseArgs>): Source {
  const chosen = ['message', 'file', 'line-mode', 'null-message', 'stdin-file'].filter(
    (name) => args.values.has(name) || args.flags.has(name),
  )
  if (chosen.length !== 1) throw new UsageError('give exactly one of -m, -f, -l, -n, -s')
  if (args.values.has('message')) return { kind: 'one', payload: args.values.get('message')! }
  if (args.flags.has('null-message')) return { kind: 'one', payload: null }
  if (args.flags.has('line-mode')) return { kind: 'lines' }
  const path = args.values.get('file')
  let payload: Buffer
  try {
    payload = readFileSync(path ?? 0)
  } catch (error) {
    throw new UsageError(`cannot read ${path ?? 'stdin'}: ${(error as Error).message}`)
  }
  // As mosquitto_pub: -s with nothing on stdin is an error (-n sends an empty message on purpose).
  if (path === undefined && payload.length === 0) throw new InvalidArgumentError('zero length input on stdin (-s)')
  return { kind: 'one', payload }
}

export async function pub(argv: readonly string[]): Promise<number> {
  let client: Client | undefined
  try {
    const args = parseArgs(argv, FLAGS)
    if (args.flags.has('help')) {
      console.log(PUB_USAGE)
      return EXIT.OK
    }
    const { url, options, urlTopic } = connectionFromArgs(args, 'pub')
    const topic = args.values.get('topic') ?? urlTopic
    if (topic === undefined) throw new UsageError('a topic is needed: -t topic')
    const source = messageSource(args)
    const publishOptions = {
      qos: qosOption(args),
      retain: args.flags.has('retain'),
      properties: propertiesFor(args.properties, 'publish'),
    }
    client = await connect(url, options)
    if (source.kind === 'one') {
      await client.publish(topic, source.payload, publishOptions)
    } else {
      // One message per line, in order; each is complete before the next (mosquitto_pub -l).
      for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
        if (line !== '') await client.publish(topic, line, publishOptions) // blank lines are not sent
      }
    }
    await client.disconnect({ properties: propertiesFor(args.properties, 'disconnect') })
    return EXIT.OK
  } catch (error) {
    return reportError(error, PUB_USAGE)
  } finally {
    await client?.close()
  }
}
