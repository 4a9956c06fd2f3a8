// petrel-mqtt/subscribe: Paho's subscribe module. simple() waits for a number of messages and returns them;
// callback() hands every message to a function until stopped.
import type { Client } from '../client/client.js'
import { connect } from '../client/create.js'
import { InvalidArgumentError } from '../client/errors.js'
import type { Message } from '../client/types.js'
import { MqttError } from '../packet/errors.js'
import type { QoS } from '../packet/types.js'
import { type ConnectionOptions, resolveConnection } from './connect-options.js'

export * from './entry-exports.js'

export interface SubscribeHelperOptions extends ConnectionOptions {
  /** QoS of the subscriptions. Default 0. */
  qos?: QoS
  /** false ignores retained messages (Paho's retained=False). Default true. */
  retained?: boolean
  /** Stops the subscriber (callback) or abandons the wait (simple) when aborted. */
  signal?: AbortSignal
}

export interface SimpleOptions extends SubscribeHelperOptions {
  /** How many messages to wait for. 1 (the default) returns the message itself, more return a list. */
  msgCount?: number
}

export interface CallbackOptions<U = unknown> extends SubscribeHelperOptions {
  /** Passed to the callback as its second argument, as in Paho. */
  userdata?: U
}

/** Paho's callback signature: (client, userdata, message). */
export type MessageCallback<U = unknown> = (client: Client, userdata: U, message: Message) => void

export interface Subscriber {
  readonly client: Client
  /** Disconnects; resolves once the connection is closed. */
  stop(): Promise<void>
  /** Settles when the subscriber stops: stop(), the signal, or the connection ending for good. */
  readonly done: Promise<void>
}

function abortError(signal: AbortSignal): MqttError {
  return new MqttError('ERR_ABORTED', 'the wait for messages was aborted', { cause: signal.reason })
}

/** Connects and subscribes; closes the client if either fails. Reconnects (and resubscribes) after a loss. */
async function open(topics: string | string[], options: SubscribeHelperOptions): Promise<Client> {
  if (options.signal?.aborted) throw abortError(options.signal)
  const { url, clientOptions } = resolveConnection(options)
  const client = await connect(url, clientOptions)
  try {
    const results = await client.subscribe(topics, { qos: options.qos ?? 0 })
    const refused = results.find((result) => result.qos === undefined)
    if (refused !== undefined) {
      throw new InvalidArgumentError(
        `the server refused the subscription to '${refused.topic}' (reason ${refused.reasonCode})`,
      )
    }
  } catch (error) {
    await client.close()
    throw error
  }
  return client
}

/**
 * Subscribes to `topics` (one filter or several) with a callback `(client, userdata, message)`, and keeps
 * receiving until `stop()` or the signal. Resolves once subscribed; rejects with the refusal
 * (ConnectError, 'ERR_CONNECT_REFUSED') or a transport error. Reconnects after a lost connection.
 */
export async function callback<U = unknown>(
  onMessage: MessageCallback<U>,
  topics: string | string[],
  options: CallbackOptions<U> = {},
): Promise<Subscriber> {
  const client = await open(topics, options)
  const { signal, retained = true } = options
  const userdata = options.userdata as U
  // Attached on a later task, once the caller holds the Subscriber (a callback may call stop()); messages that
  // arrive before (a retained one can come with the SUBACK) are held by the Client until then.
  setTimeout(() => {
    client.on('message', (message) => {
      if (retained || !message.retain) onMessage(client, userdata, message)
    })
  }, 0)
  const done = new Promise<void>((resolve) => client.once('close', () => resolve()))
  const stop = async () => {
    signal?.removeEventListener('abort', stop)
    await client.disconnect()
  }
  signal?.addEventListener('abort', stop, { once: true })
  return { client, stop, done }
}

/**
 * Waits for `msgCount` messages on `topics` (default 1), then disconnects. Resolves with the message (msgCount 1)
 * or the list of messages. `retained: false` skips retained messages. Rejects if the signal aborts first.
 */
export async function simple(topics: string | string[], options?: SimpleOptions & { msgCount?: 1 }): Promise<Message>
export async function simple(topics: string | string[], options?: SimpleOptions): Promise<Message | Message[]>
export async function simple(topics: string | string[], options: SimpleOptions = {}): Promise<Message | Message[]> {
  const count = options.msgCount ?? 1
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError('msgCount must be a positive integer')
  const { signal, retained = true } = options
  const client = await open(topics, options)
  const received: Message[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(abortError(signal!))
      signal?.addEventListener('abort', onAbort, { once: true })
      client.once('close', ({ error }) => reject(error ?? new InvalidArgumentError('the connection closed')))
      client.on('message', (message) => {
        if (received.length >= count || (!retained && message.retain)) return
        received.push(message)
        if (received.length === count) {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      })
    })
    await client.disconnect()
  } finally {
    await client.close()
  }
  return count === 1 ? received[0]! : received
}
