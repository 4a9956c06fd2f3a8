// The connection flags pub and sub share (-h -p -L -i -I -k -u -P --will-* --cafile --cert --key --insecure
// -V -D connect/will), turned into a broker URL and the Client's options.
import { readFileSync } from 'node:fs'
import type { ClientOptions, TlsOptions } from '../client/options.js'
import { brokerUrl } from '../helpers/connect-options.js'
import type { ProtocolVersion, QoS } from '../packet/types.js'
import { type FlagSpec, intOption, type ParsedArgs, UsageError } from './args.js'
import { propertiesFor } from './properties.js'

export const CONNECTION_FLAGS: Record<string, FlagSpec> = {
  '-h': { name: 'host', kind: 'value' },
  '--host': { name: 'host', kind: 'value' },
  '-p': { name: 'port', kind: 'value' },
  '--port': { name: 'port', kind: 'value' },
  '-L': { name: 'url', kind: 'value' },
  '--url': { name: 'url', kind: 'value' },
  '-i': { name: 'id', kind: 'value' },
  '--id': { name: 'id', kind: 'value' },
  '-I': { name: 'id-prefix', kind: 'value' },
  '--id-prefix': { name: 'id-prefix', kind: 'value' },
  '-k': { name: 'keepalive', kind: 'value' },
  '--keepalive': { name: 'keepalive', kind: 'value' },
  '-u': { name: 'username', kind: 'value' },
  '--username': { name: 'username', kind: 'value' },
  '-P': { name: 'password', kind: 'value' },
  '--pw': { name: 'password', kind: 'value' },
  '--will-topic': { name: 'will-topic', kind: 'value' },
  '--will-payload': { name: 'will-payload', kind: 'value' },
  '--will-qos': { name: 'will-qos', kind: 'value' },
  '--will-retain': { name: 'will-retain', kind: 'flag' },
  '--cafile': { name: 'cafile', kind: 'value' },
  '--cert': { name: 'cert', kind: 'value' },
  '--key': { name: 'key', kind: 'value' },
  '--insecure': { name: 'insecure', kind: 'flag' },
  '-V': { name: 'protocol', kind: 'value' },
  '--protocol-version': { name: 'protocol', kind: 'value' },
  '-D': { name: 'property', kind: 'property' },
  '--property': { name: 'property', kind: 'property' },
  '-q': { name: 'qos', kind: 'value' },
  '--qos': { name: 'qos', kind: 'value' },
  '-d': { name: 'debug', kind: 'flag' },
  '--debug': { name: 'debug', kind: 'flag' },
  '--quiet': { name: 'quiet', kind: 'flag' },
  '--help': { name: 'help', kind: 'flag' },
}

const VERSIONS: Record<string, ProtocolVersion> = { '5': 5, mqttv5: 5, '311': 4, mqttv311: 4, '31': 3, mqttv31: 3 }

export function qosOption(args: ParsedArgs): QoS {
  return intOption(args, 'qos', '-q', 0, 0, 2) as QoS
}

function readPem(path: string | undefined, flag: string): string | undefined {
  if (path === undefined) return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(error as Error).message}`)
  }
}

function tlsOptions(args: ParsedArgs): TlsOptions | undefined {
  const ca = readPem(args.values.get('cafile'), '--cafile')
  const cert = readPem(args.values.get('cert'), '--cert')
  const key = readPem(args.values.get('key'), '--key')
  const insecure = args.flags.has('insecure')
  if (ca === undefined && cert === undefined && key === undefined && !insecure) return undefined
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together')
  return { ca, cert, key, ...(insecure ? { rejectUnauthorized: false } : {}) }
}

/** -L mqtt(s)://[user[:password]@]host[:port]/topic: the broker URL and the topic in its path. */
function splitUrl(text: string): { url: string; topic?: string } {
  const match = /^([a-z+]+:\/\/[^/]*)(?:\/(.*))?$/i.exec(text)
  if (match === null) throw new UsageError(`-L: not a URL: '${text}' (mqtt://host:port/topic)`)
  const topic = match[2] === undefined || match[2] === '' ? undefined : decodeURIComponent(match[2])
  return { url: match[1]!, topic }
}

export interface Connection {
  url: string
  options: ClientOptions
  /** The topic given in -L's path, if any. */
  urlTopic?: string
}

/** The URL and Client options from the flags. Throws UsageError for bad values. */
export function connectionFromArgs(args: ParsedArgs, command: 'pub' | 'sub'): Connection {
  const tls = tlsOptions(args)
  let url: string
  let urlTopic: string | undefined
  const given = args.values.get('url')
  if (given !== undefined) {
    ;({ url, topic: urlTopic } = splitUrl(given))
  } else {
    const port = args.values.has('port') ? intOption(args, 'port', '-p', 0, 1, 65535) : undefined
    url = brokerUrl('tcp', args.values.get('host') ?? 'localhost', port, tls !== undefined)
  }
  const options: ClientOptions = { reconnect: false, keepalive: intOption(args, 'keepalive', '-k', 60, 0, 65535) }
  const version = args.values.get('protocol')
  if (version !== undefined) {
    options.protocolVersion = VERSIONS[version.toLowerCase()]
    if (options.protocolVersion === undefined) throw new UsageError(`-V takes 5, 311 or 31, not '${version}'`)
  }
  const id = args.values.get('id')
  const prefix = args.values.get('id-prefix')
  if (id !== undefined) options.clientId = id
  else if (prefix !== undefined) options.clientId = `${prefix}${process.pid}`
  else options.clientId = `petrel-${command}-${process.pid}`
  const username = args.values.get('username')
  const password = args.values.get('password')
  if (username !== undefined) options.username = username
  if (password !== undefined) options.password = password
  if (tls !== undefined) options.tls = tls
  const willTopic = args.values.get('will-topic')
  if (willTopic !== undefined) {
    options.will = {
      topic: willTopic,
      payload: args.values.get('will-payload') ?? null,
      qos: intOption(args, 'will-qos', '--will-qos', 0, 0, 2) as QoS,
      retain: args.flags.has('will-retain'),
      properties: propertiesFor(args.properties, 'will'),
    }
  } else if (args.values.has('will-payload')) throw new UsageError('--will-payload needs --will-topic')
  const properties = propertiesFor(args.properties, 'connect')
  if (properties !== undefined) options.properties = properties
  if (args.flags.has('debug')) {
    options.logger = {
      debug: (...line: unknown[]) => console.error(...line),
      info: (...line: unknown[]) => console.error(...line),
    }
  }
  return { url, options, urlTopic }
}
