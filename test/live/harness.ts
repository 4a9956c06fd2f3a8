// Helpers shared by the live tests: clients that are always closed after their test, inboxes that await
// messages with bounded timeouts (failing with a message that says what was expected), and barriers that
// replace "sleep and hope" when a test must show that something did NOT arrive.
import type { TestContext } from 'node:test'
import { type Client, type ClientOptions, type ConnectEvent, createClient } from '../../src/index.js'
import { tcpConnector } from '../../src/transport/tcp-node.js'
import type { Transport } from '../../src/transport/types.js'

/** Upper bound for anything a healthy local broker does (CONNACK, a round trip, a will...). */
export const EVENT_TIMEOUT = 5_000

/** The fields of a received message the live tests look at. */
export interface Message {
  topic: string
  payload: Uint8Array
  qos: number
  retain: boolean
  dup: boolean
  properties?: Record<string, unknown>
}

let sequence = 0

/** A topic prefix no other test (or earlier run against a persistent broker) uses. */
export function uniqueName(label: string): string {
  sequence += 1
  return `petrel-live/${label}/${process.pid}-${Date.now().toString(36)}-${sequence}`
}

/** A client id that is unique per test and short enough for MQTT 3.1 (23 characters). */
export function uniqueClientId(label: string): string {
  sequence += 1
  return `${label.slice(0, 8)}-${process.pid % 100000}-${sequence}`
}

/** Resolves with the value `register` hands to its callback, or rejects after `ms` saying what was awaited. */
export function waitFor<T>(
  what: string,
  register: (resolve: (value: T) => void, reject: (error: unknown) => void) => (() => void) | undefined,
  ms = EVENT_TIMEOUT,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let unregister: (() => void) | undefined
    const timer = setTimeout(() => {
      unregister?.()
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`))
    }, ms)
    unregister = register(
      (value) => {
        clearTimeout(timer)
        unregister?.()
        resolve(value)
      },
      (error) => {
        clearTimeout(timer)
        unregister?.()
        reject(error)
      },
    )
  })
}

/** Waits for one emission of `event` on `client`. */
export function nextEvent<T = unknown>(client: Client, event: string, ms = EVENT_TIMEOUT): Promise<T> {
  return waitFor<T>(
    `the '${event}' event`,
    (resolve) => {
      const listener = (value: T) => resolve(value)
      client.on(event as 'message', listener as never)
      return () => client.off(event as 'message', listener as never)
    },
    ms,
  )
}

/** Bounds any promise: a hung operation fails the test with `what` instead of hanging the run. */
export function within<T>(what: string, promise: PromiseLike<T>, ms = EVENT_TIMEOUT): Promise<T> {
  return waitFor<T>(
    what,
    (resolve, reject) => {
      Promise.resolve(promise).then(resolve, reject)
      return undefined
    },
    ms,
  )
}

/** Collects every message a client receives, from the moment it is created. */
export class Inbox {
  readonly messages: Message[] = []
  private waiters: Array<() => void> = []

  /** Several clients may feed one inbox (e.g. the members of a shared subscription). */
  constructor(...clients: Client[]) {
    for (const client of clients) {
      client.on('message', (message) => {
        this.messages.push(message as Message)
        for (const wake of this.waiters) wake()
      })
    }
  }

  /** The payloads received so far, decoded as UTF-8. */
  get texts(): string[] {
    return this.messages.map((m) => text(m.payload))
  }

  /** Resolves once `count` messages have arrived in total (from the start); rejects after `ms`. */
  waitForCount(count: number, ms = EVENT_TIMEOUT): Promise<Message[]> {
    return this.waitUntil(`${count} message(s)`, () => this.messages.length >= count, ms).then(() =>
      this.messages.slice(0, count),
    )
  }

  /** Resolves with the first message received on `topic` (already received or yet to come). */
  waitForTopic(topic: string, ms = EVENT_TIMEOUT): Promise<Message> {
    return this.waitUntil(`a message on ${topic}`, () => this.messages.some((m) => m.topic === topic), ms).then(
      () => this.messages.find((m) => m.topic === topic)!,
    )
  }

  /** Messages on `topic` received so far. */
  on(topic: string): Message[] {
    return this.messages.filter((m) => m.topic === topic)
  }

  clear(): void {
    this.messages.length = 0
  }

  /** Resolves once `done()` holds, re-checked on every arrival; rejects after `ms` naming `what`. */
  waitUntil(what: string, done: () => boolean, ms = EVENT_TIMEOUT): Promise<void> {
    if (done()) return Promise.resolve()
    return waitFor<void>(
      `${what} (received so far: ${this.describe()})`,
      (resolve) => {
        const wake = () => {
          if (done()) resolve()
        }
        this.waiters.push(wake)
        return () => {
          this.waiters = this.waiters.filter((w) => w !== wake)
        }
      },
      ms,
    )
  }

  private describe(): string {
    if (this.messages.length === 0) return 'none'
    return this.messages.map((m) => `${m.topic}=${JSON.stringify(text(m.payload))} q${m.qos}`).join(', ')
  }
}

export function text(payload: Uint8Array): string {
  return new TextDecoder().decode(payload)
}

/** Connects a client that is closed (without waiting on the broker) when the test ends, pass or fail. */
export async function openClient(t: TestContext, url: string, options: ClientOptions = {}): Promise<Client> {
  const client = createClient(url, { reconnect: false, connectTimeout: EVENT_TIMEOUT, ...options })
  closeAfter(t, client)
  await within(`CONNACK from ${url}`, client.connect())
  return client
}

/** Like openClient, with an inbox attached before CONNECT so that nothing queued by the broker is missed. */
export async function openWithInbox(
  t: TestContext,
  url: string,
  options: ClientOptions = {},
): Promise<{ client: Client; inbox: Inbox; connack: ConnectEvent }> {
  const client = createClient(url, { reconnect: false, connectTimeout: EVENT_TIMEOUT, ...options })
  closeAfter(t, client)
  const inbox = new Inbox(client)
  const connack = await within(`CONNACK from ${url}`, client.connect())
  return { client, inbox, connack }
}

const liveTransports = new WeakMap<Client, Set<Transport>>()

/**
 * Connects like openClient, over a TCP transport the test can kill: dropConnection() then destroys the
 * socket under the client, which is what a crash or a pulled cable looks like to the broker (no DISCONNECT).
 */
export async function openKillable(t: TestContext, url: string, options: ClientOptions = {}): Promise<Client> {
  const { hostname, port } = new URL(url)
  const tcp = tcpConnector({ host: hostname, port: Number(port) })
  const transports = new Set<Transport>()
  const client = createClient(url, {
    reconnect: false,
    connectTimeout: EVENT_TIMEOUT,
    ...options,
    transport: async (handlers, signal) => {
      const transport = await tcp(handlers, signal)
      transports.add(transport)
      return transport
    },
  })
  liveTransports.set(client, transports)
  closeAfter(t, client)
  await within(`CONNACK from ${url}`, client.connect())
  return client
}

/** Destroys the sockets of a client opened with openKillable, without sending DISCONNECT. */
export function dropConnection(client: Client): void {
  const transports = liveTransports.get(client)
  if (transports === undefined) throw new Error('dropConnection() needs a client opened with openKillable()')
  for (const transport of transports) transport.destroy()
  transports.clear()
}

/** Registers `client` to be closed when the test ends. */
export function closeAfter(t: TestContext, client: Client): void {
  t.after(async () => {
    await client.close().catch(() => undefined)
  })
}

/**
 * Proves a negative without a fixed sleep: publishes a marker to `markerTopic` (which `inbox` receives)
 * and resolves once it arrives. Brokers deliver one publisher's messages in order, so anything sent
 * before the marker that was going to arrive has arrived by then.
 */
export async function barrier(publisher: Client, inbox: Inbox, markerTopic: string): Promise<void> {
  sequence += 1
  const marker = `barrier-${sequence}`
  const isMarker = (m: Message) => m.topic === markerTopic && text(m.payload) === marker
  const arrived = inbox.waitUntil(`the barrier message on ${markerTopic}`, () => inbox.messages.some(isMarker))
  await within('the barrier PUBACK', publisher.publish(markerTopic, marker, { qos: 1 }))
  await arrived
  inbox.messages.splice(inbox.messages.findIndex(isMarker), 1)
}
