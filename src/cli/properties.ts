// -D <command> <property> <value>: MQTT 5 properties from the command line, as mosquitto_pub spells them.
import type { Properties } from '../packet/types.js'
import { UsageError } from './args.js'

type Kind = 'number' | 'string' | 'bytes' | 'boolean'

// The property names mosquitto's clients accept, and where each one may go.
const PROPERTIES: Record<string, { key: keyof Properties; kind: Kind; commands: string[] }> = {
  'payload-format-indicator': { key: 'payloadFormatIndicator', kind: 'boolean', commands: ['publish', 'will'] },
  'message-expiry-interval': { key: 'messageExpiryInterval', kind: 'number', commands: ['publish', 'will'] },
  'content-type': { key: 'contentType', kind: 'string', commands: ['publish', 'will'] },
  'response-topic': { key: 'responseTopic', kind: 'string', commands: ['publish', 'will'] },
  'correlation-data': { key: 'correlationData', kind: 'bytes', commands: ['publish', 'will'] },
  'subscription-identifier': { key: 'subscriptionIdentifier', kind: 'number', commands: ['subscribe'] },
  'session-expiry-interval': { key: 'sessionExpiryInterval', kind: 'number', commands: ['connect', 'disconnect'] },
  'authentication-method': { key: 'authenticationMethod', kind: 'string', commands: ['connect'] },
  'authentication-data': { key: 'authenticationData', kind: 'bytes', commands: ['connect'] },
  'request-problem-information': { key: 'requestProblemInformation', kind: 'boolean', commands: ['connect'] },
  'will-delay-interval': { key: 'willDelayInterval', kind: 'number', commands: ['will'] },
  'request-response-information': { key: 'requestResponseInformation', kind: 'boolean', commands: ['connect'] },
  'receive-maximum': { key: 'receiveMaximum', kind: 'number', commands: ['connect'] },
  'topic-alias-maximum': { key: 'topicAliasMaximum', kind: 'number', commands: ['connect'] },
  'topic-alias': { key: 'topicAlias', kind: 'number', commands: ['publish'] },
  'maximum-packet-size': { key: 'maximumPacketSize', kind: 'number', commands: ['connect'] },
}
const COMMANDS = ['connect', 'publish', 'subscribe', 'unsubscribe', 'disconnect', 'will']

function convert(kind: Kind, text: string, name: string): unknown {
  if (kind === 'string') return text
  if (kind === 'bytes') return new TextEncoder().encode(text)
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`property ${name} takes a non-negative integer`)
  return kind === 'boolean' ? value !== 0 : value
}

/** The properties the -D entries give `command` ('connect', 'publish', ...). Throws UsageError on bad input. */
export function propertiesFor(entries: readonly string[][], command: string): Properties | undefined {
  let properties: Record<string, unknown> | undefined
  for (const entry of entries) {
    const [entryCommand, name] = entry as [string, string]
    if (!COMMANDS.includes(entryCommand)) throw new UsageError(`-D: unknown command '${entryCommand}'`)
    if (entryCommand !== command) continue
    properties ??= {}
    if (name === 'user-property') {
      const list = (properties.userProperties as Array<[string, string]> | undefined) ?? []
      list.push([entry[2]!, entry[3]!])
      properties.userProperties = list
      continue
    }
    const spec = PROPERTIES[name]
    if (spec === undefined) throw new UsageError(`-D: unknown property '${name}'`)
    if (!spec.commands.includes(command)) throw new UsageError(`-D: ${name} is not allowed in ${command}`)
    properties[spec.key] = convert(spec.kind, entry[2]!, name)
  }
  return properties as Properties | undefined
}
