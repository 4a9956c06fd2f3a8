// Several brokers for one client: the failover list (`servers`) and MQTT 5 Server References. Browser-safe:
// the connectors come from create.ts.
//
// Order: each failed attempt (transport error, connect timeout, non-fatal refusal) moves to the next server
// at once; when a whole round has failed, the client's reconnect backoff applies (or, for a first connect()
// without reconnect.initial, connect() rejects with the last server's error). After a connection was up, the
// next attempt goes to the server that worked: the session state (in-flight messages, subscriptions) lives
// there. A followed Server Reference is tried next (each alternative in turn), then the list resumes.
import type { Properties } from '../packet/types.js'
import type { SessionEvent } from '../session/api.js'
import type { ProxyOption } from '../transport/proxy-config.js'
import type { SrvResolver } from '../transport/srv-node.js'
import type { TransportConnector } from '../transport/types.js'
import type { WebSocketOptions } from '../transport/websocket-options.js'
import type { TlsOptions } from './options.js'
import { parseServerReference, SERVER_MOVED, USE_ANOTHER_SERVER } from './server-reference.js'

/** One entry of `servers` with its own transport options (merged over the client's). */
export interface ServerOptions {
  url: string | URL
  tls?: TlsOptions
  ws?: WebSocketOptions
  proxy?: ProxyOption
  bindAddress?: string
}

export interface ServerSelectionOptions {
  /**
   * Brokers to fail over to, tried in order after the URL given to connect() (if any). Credentials come from
   * the options or the URLs, and must be the same everywhere: every server gets the same CONNECT.
   */
  servers?: Array<string | URL | ServerOptions>
  /**
   * Follow MQTT 5 Server References (CONNACK or DISCONNECT with 0x9C Use another server / 0x9D Server moved)
   * with the same scheme and options. Default false: a rogue or misconfigured server could send the client,
   * with its credentials, anywhere.
   */
  followServerReference?: boolean
  /** DNS SRV lookup for mqtt+srv:// and mqtts+srv:// URLs (Node). Default: node:dns. */
  srvResolver?: SrvResolver
}

/** One broker: how to reach it, and how to reach another host the same way (undefined: cannot be redirected). */
export interface Server {
  readonly label: string
  readonly connector: TransportConnector
  relocate?(host: string, port: number | undefined): Server | undefined
}

/** Consecutive Server References followed without a successful connection; more are refusals like any other. */
const MAX_REDIRECTS = 5

export class Failover {
  readonly #servers: Server[]
  readonly #follow: boolean
  #index = 0
  /** Where the current round began: the server that last worked, or the first. */
  #roundStart = 0
  /** The alternatives of the Server Reference being followed, tried before the list. */
  #redirect: Server[] = []
  /** A reference received on the connection that is ending. */
  #pending: Server[] | undefined
  #redirects = 0

  constructor(servers: Server[], followServerReference: boolean) {
    this.#servers = servers
    this.#follow = followServerReference
  }

  /** Where the next attempt goes. */
  get current(): Server {
    return this.#redirect[0] ?? (this.#servers[this.#index] as Server)
  }

  /** The client's connector: dials the current server. */
  readonly connector: TransportConnector = (handlers, signal) => this.current.connector(handlers, signal)

  /** Watches the session: successes, and Server References in a refusal or a server's DISCONNECT. */
  observe(event: SessionEvent): void {
    if (event.type === 'connected') {
      this.#redirects = 0
      this.#roundStart = this.#index
    } else if (event.type === 'connect-failed' && event.connack !== undefined) {
      this.#referred(event.connack.reasonCode, event.connack.properties)
    } else if (event.type === 'server-disconnect') this.#referred(event.reasonCode, event.properties)
  }

  #referred(reasonCode: number, properties: Properties | undefined): void {
    const reference = properties?.serverReference
    if (!this.#follow || reference === undefined || this.#redirects >= MAX_REDIRECTS) return
    if (reasonCode !== USE_ANOTHER_SERVER && reasonCode !== SERVER_MOVED) return
    const from = this.current
    const targets = parseServerReference(reference).flatMap(({ host, port }) => from.relocate?.(host, port) ?? [])
    if (targets.length > 0) this.#pending = targets
  }

  /**
   * A connection (`wasUp`) or an attempt at one ended. true: connect to the next server now; false: follow
   * the reconnect policy (after a lost connection, or once a whole round has failed).
   */
  next(wasUp: boolean): boolean {
    const pending = this.#pending
    this.#pending = undefined
    if (pending !== undefined) {
      this.#redirect = pending
      if (wasUp) return false
      this.#redirects++
      return true
    }
    if (wasUp) return false
    if (this.#redirect.length > 0) {
      this.#redirect.shift()
      if (this.#redirect.length > 0) return true
    }
    this.#index = (this.#index + 1) % this.#servers.length
    return this.#index !== this.#roundStart
  }
}
