// DNS SRV discovery of brokers (Paho's connect_srv): look up _mqtt._tcp.<domain> (or _secure-mqtt._tcp.<domain>
// for TLS), order the targets as RFC 2782 says, and connect to the first one that answers.
import { resolveSrv as dnsResolveSrv } from 'node:dns/promises'
import { TransportError } from './errors.js'
import { tcpConnector } from './tcp-node.js'
import { type TlsConnectorOptions, tlsConnector } from './tls-node.js'
import type { TransportConnector } from './types.js'

export interface SrvRecord {
  name: string
  port: number
  priority: number
  weight: number
}

export interface SrvTarget {
  host: string
  port: number
}

/** Looks up the SRV records of a name (default: node:dns). Injectable for tests and custom resolvers. */
export type SrvResolver = (name: string) => Promise<SrvRecord[]>

export interface ResolveSrvOptions {
  /** _secure-mqtt._tcp (for mqtts://) instead of _mqtt._tcp. Default false. */
  secure?: boolean
  resolver?: SrvResolver
  /** A number in [0, 1) for the weighted choice; default Math.random. */
  random?: () => number
}

/** RFC 2782: within one priority, pick by running weight sums; weight-0 records come first in the draw. */
function weightedOrder(records: SrvRecord[], random: () => number): SrvRecord[] {
  const pool = [...records.filter((r) => r.weight === 0), ...records.filter((r) => r.weight > 0)]
  const ordered: SrvRecord[] = []
  while (pool.length > 0) {
    const total = pool.reduce((sum, r) => sum + r.weight, 0)
    const draw = Math.floor(random() * (total + 1)) // an integer in [0, total]
    let running = 0
    let index = pool.findIndex((r) => {
      running += r.weight
      return running >= draw
    })
    if (index === -1) index = pool.length - 1
    ordered.push(...pool.splice(index, 1))
  }
  return ordered
}

/** The brokers of `domain` in the order to try them. Rejects with 'ERR_DNS' when there are none. */
export async function resolveSrv(domain: string, options: ResolveSrvOptions = {}): Promise<SrvTarget[]> {
  const name = `_${options.secure === true ? 'secure-mqtt' : 'mqtt'}._tcp.${domain}`
  let records: SrvRecord[]
  try {
    records = await (options.resolver ?? dnsResolveSrv)(name)
  } catch (error) {
    throw new TransportError('ERR_DNS', `no SRV records for ${name}`, { cause: error })
  }
  // RFC 2782: a single record with target "." says the service is decidedly not available here.
  const usable = records.filter((r) => r.name !== '' && r.name !== '.')
  if (usable.length === 0) throw new TransportError('ERR_DNS', `${name} offers no MQTT service`)
  const random = options.random ?? Math.random
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b)
  return priorities.flatMap((priority) =>
    weightedOrder(
      usable.filter((r) => r.priority === priority),
      random,
    ).map((r) => ({ host: r.name.replace(/\.$/, ''), port: r.port })),
  )
}

export interface SrvConnectorOptions extends ResolveSrvOptions {
  domain: string
  /** TLS settings when `secure` (the same as mqtts:// takes); the certificate is checked against each target. */
  tls?: Omit<TlsConnectorOptions, 'host' | 'port'>
  /** Makes the connector for one target. Default: TCP, or TLS when `secure`. */
  connectorFor?(target: SrvTarget): TransportConnector
}

function defaultConnectorFor(options: SrvConnectorOptions): (target: SrvTarget) => TransportConnector {
  return (target) => (options.secure === true ? tlsConnector({ ...options.tls, ...target }) : tcpConnector(target))
}

/** Resolves on every connection attempt (records change) and tries each target in turn. */
export function srvConnector(options: SrvConnectorOptions): TransportConnector {
  return async (handlers, signal) => {
    const connectorFor = options.connectorFor ?? defaultConnectorFor(options)
    const targets = await resolveSrv(options.domain, options)
    const failures: Error[] = []
    for (const target of targets) {
      try {
        return await connectorFor(target)(handlers, signal)
      } catch (error) {
        if ((error as TransportError).code === 'ERR_ABORTED') throw error
        failures.push(error as Error)
      }
    }
    const tried = targets.map((t) => `${t.host}:${t.port}`).join(', ')
    throw new TransportError('ERR_CONNECT', `no broker of ${options.domain} answered (tried ${tried})`, {
      cause: new AggregateError(failures, 'every SRV target failed'),
    })
  }
}
