// petrel sub: mosquitto_sub's flags. Prints messages until -C count, -W timeout, --retained-only's first
// fresh message, or Ctrl-C.
import type { Client } from '../client/client.js'
import { connect } from '../client/create.js'
import type { Message } from '../client/types.js'
import { topicMatches } from '../packet/topic.js'
import { intOption, parseArgs, UsageError } from './args.js'
import { CONNECTION_FLAGS, connectionFromArgs, qosOption } from './connection.js'
import { formatMessage, parseFormat, plainMessage } from './format.js'
import { propertiesFor } from './properties.js'
import { EXIT, reportError } from './run.js'

const NEWLINE = Buffer.from('\n')

const SUB_USAGE = `Usage: petrel sub {[-h host] [-p port] | -L URL} -t topic [-t topic ...] [-q qos]
                  [-v] [-C count] [-W timeout] [-R] [-N] [-F format] [--retained-only] [--remove-retained]
                  [-i id | -I id-prefix] [-k keepalive] [-u username [-P password]] [--will-topic ...]
                  [--cafile file] [--cert file --key file] [--insecure] [-V 5|311|31] [-D command property value]
See docs/cli.md.`

const FLAGS = {
  ...CONNECTION_FLAGS,
  '-t': { name: 'topic', kind: 'list' },
  '--topic': { name: 'topic', kind: 'list' },
  '-T': { name: 'filter-out', kind: 'list' },
  '--filter-out': { name: 'filter-out', kind: 'list' },
  '-v': { name: 'verbose', kind: 'flag' },
  '--verbose': { name: 'verbose', kind: 'flag' },
  '-C': { name: 'count', kind: 'value' },
  '--count': { name: 'count', kind: 'value' },
  '-W': { name: 'timeout', kind: 'value' },
  '--timeout': { name: 'timeout', kind: 'value' },
  '-R': { name: 'no-stale', kind: 'flag' },
  '--no-stale': { name: 'no-stale', kind: 'flag' },
  '-N': { name: 'no-newline', kind: 'flag' },
  '-F': { name: 'format', kind: 'value' },
  '--format': { name: 'format', kind: 'value' },
  '--retained-only': { name: 'retained-only', kind: 'flag' },
  '--remove-retained': { name: 'remove-retained', kind: 'flag' },
} as const

export async function sub(argv: readonly string[], signal?: AbortSignal): Promise<number> {
  let client: Client | undefined
  try {
    const args = parseArgs(argv, FLAGS)
    if (args.flags.has('help')) {
      console.log(SUB_USAGE)
      return EXIT.OK
    }
    const { url, options, urlTopic } = connectionFromArgs(args, 'sub')
    const topics = args.lists.get('topic') ?? (urlTopic === undefined ? [] : [urlTopic])
    if (topics.length === 0) throw new UsageError('at least one topic is needed: -t topic')
    const count = intOption(args, 'count', '-C', 0, 1, Number.MAX_SAFE_INTEGER)
    const timeout = intOption(args, 'timeout', '-W', 0, 1, 3600)
    const formatText = args.values.get('format')
    const format = formatText === undefined ? undefined : parseFormat(formatText)
    const verbose = args.flags.has('verbose')
    const newline = !args.flags.has('no-newline')
    const noStale = args.flags.has('no-stale')
    const retainedOnly = args.flags.has('retained-only')
    const removeRetained = args.flags.has('remove-retained')
    const filteredOut = args.lists.get('filter-out') ?? []
    const qos = qosOption(args)
    const subscribeProperties = propertiesFor(args.properties, 'subscribe')

    client = await connect(url, options)
    const connected = client
    let printed = 0
    const clearing: Array<Promise<unknown>> = []
    const status = await new Promise<number>((resolve) => {
      const timer = timeout > 0 ? setTimeout(() => resolve(EXIT.TIMEOUT), timeout * 1000) : undefined
      let finished = false
      const finish = (code: number) => {
        finished = true
        clearTimeout(timer)
        resolve(code)
      }
      signal?.addEventListener('abort', () => finish(EXIT.OK), { once: true })
      connected.once('close', ({ error }) => {
        if (error !== undefined) console.error(`Error: ${error.message}`)
        finish(EXIT.ERROR)
      })
      connected.on('offline', ({ error }) => {
        console.error(`Error: connection lost${error === undefined ? '' : `: ${error.message}`}`)
        finish(EXIT.ERROR)
      })
      connected.on('message', (message: Message) => {
        if (finished) return
        if (filteredOut.some((filter) => topicMatches(filter, message.topic))) return
        if (retainedOnly && !message.retain) return finish(EXIT.OK)
        // Clear the retained message by publishing an empty retained one [MQTT-3.3.1-10].
        if (removeRetained && message.retain) {
          clearing.push(connected.publish(message.topic, null, { retain: true, qos: 1 }).promise)
        }
        if (noStale && message.retain) return
        if (format === undefined) process.stdout.write(plainMessage(message, verbose, newline))
        else
          process.stdout.write(
            newline ? Buffer.concat([formatMessage(format, message), NEWLINE]) : formatMessage(format, message),
          )
        printed++
        if (count > 0 && printed >= count) finish(EXIT.OK)
      })
      connected.subscribe(topics, { qos, properties: subscribeProperties }).then(
        (results) => {
          for (const result of results) {
            if (result.qos === undefined)
              console.error(`Warning: subscription to ${result.topic} refused (reason ${result.reasonCode})`)
          }
          if (results.every((result) => result.qos === undefined)) finish(EXIT.ERROR)
        },
        (error: Error) => {
          console.error(`Error: ${error.message}`)
          finish(EXIT.ERROR)
        },
      )
    })
    if (status === EXIT.TIMEOUT) console.error('Timed out')
    await Promise.allSettled(clearing)
    if (client.connected) await client.disconnect()
    return status
  } catch (error) {
    return reportError(error, SUB_USAGE)
  } finally {
    await client?.close()
  }
}
