// petrel-mqtt/publish: Paho's publish module. Connect, publish one message or several (each completed:
// written for QoS 0, PUBACK for QoS 1, PUBCOMP for QoS 2), disconnect cleanly.
import type { Client } from '../client/client.js'
import { connect } from '../client/create.js'
import { InvalidArgumentError } from '../client/errors.js'
import type { Payload } from '../client/payload.js'
import type { Properties, QoS } from '../packet/types.js'
import { type ConnectionOptions, type PahoWill, resolveConnection, withMessageDefaults } from './connect-options.js'

export * from './entry-exports.js'

/** One message for multiple(): an object, or a tuple [topic, payload, qos, retain] as in Paho. */
export type MessageSpec =
  | { topic: string; payload?: Payload; qos?: QoS; retain?: boolean; properties?: Properties }
  | [topic: string, payload?: Payload, qos?: QoS, retain?: boolean]

export interface SingleOptions extends ConnectionOptions {
  qos?: QoS
  retain?: boolean
}

function normalise(spec: MessageSpec): PahoWill & { qos: QoS; retain: boolean } {
  if (Array.isArray(spec)) {
    const [topic, payload, qos, retain] = spec
    return withMessageDefaults({ topic, payload, qos, retain })
  }
  if (typeof spec !== 'object' || spec === null || typeof spec.topic !== 'string') {
    throw new InvalidArgumentError(
      'each message needs a topic: {topic, payload, qos, retain} or [topic, payload, qos, retain]',
    )
  }
  return withMessageDefaults(spec)
}

/**
 * Connects, publishes every message, waits until each one is complete, and disconnects. Rejects with the
 * refusal (ConnectError, code 'ERR_CONNECT_REFUSED'), a transport error, or the first failed publish; the
 * connection is closed in every case.
 */
export async function multiple(msgs: readonly MessageSpec[], options: ConnectionOptions = {}): Promise<void> {
  const messages = msgs.map(normalise)
  const { url, clientOptions } = resolveConnection(options)
  const client: Client = await connect(url, { ...clientOptions, reconnect: false })
  try {
    const handles = messages.map(({ topic, payload, qos, retain, properties }) =>
      client.publish(topic, payload, { qos, retain, properties }),
    )
    await Promise.all(handles.map((handle) => handle.promise))
    await client.disconnect()
  } finally {
    await client.close()
  }
}

/** Publishes one message (see multiple()). */
export function single(topic: string, payload?: Payload, options: SingleOptions = {}): Promise<void> {
  const { qos = 0, retain = false, ...connection } = options
  return multiple([{ topic, payload, qos, retain }], connection)
}
