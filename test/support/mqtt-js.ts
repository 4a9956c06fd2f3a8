// Checks made through the reference client (mqtt.js) and a bare socket, for tests of the brokers the other
// tests run against: is a port open, does a message make the round trip.
import { once } from 'node:events'
import { connect as connectTcp } from 'node:net'
import mqtt from 'mqtt'

/** Resolves true when something accepts a TCP connection on the port, false when it is refused. */
export async function portOpen(port: number): Promise<boolean> {
  const socket = connectTcp({ host: '127.0.0.1', port })
  try {
    await once(socket, 'connect')
    return true
  } catch {
    return false
  } finally {
    socket.destroy()
  }
}

/** The next message `client` receives, as [topic, payload text]. */
export function nextMessage(client: mqtt.MqttClient): Promise<[topic: string, payload: string]> {
  return new Promise((resolve) => client.once('message', (topic, payload) => resolve([topic, payload.toString()])))
}

/** Connects, subscribes to `topic`, publishes `payload` to itself at QoS 1, disconnects: returns what arrived. */
export async function echo(
  url: string,
  topic: string,
  payload: string,
  options: mqtt.IClientOptions & { passphrase?: string } = {},
): Promise<[topic: string, payload: string]> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...options })
  try {
    await client.subscribeAsync(topic, { qos: 1 })
    const received = nextMessage(client)
    await client.publishAsync(topic, payload, { qos: 1 })
    return await received
  } finally {
    await client.endAsync()
  }
}
