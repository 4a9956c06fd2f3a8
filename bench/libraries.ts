// The two clients under comparison behind one small interface, each used the way its documentation shows
// (Petrel: the awaitable publish handle; MQTT.js: the publish callback), so neither pays for an adapter
// the other does not.
import { connectAsync as mqttjsConnect } from 'mqtt'
import type * as Petrel from '../src/index.js'
import { petrelBuild } from './petrel-build.js'

const { connect: petrelConnect } = (await import(await petrelBuild())) as typeof Petrel

export type LibraryName = 'petrel' | 'mqttjs'
export type BenchQoS = 0 | 1 | 2

export interface BenchClient {
  /** Settles when the publish is complete for its QoS (written, PUBACK, PUBCOMP). */
  publish(topic: string, payload: Uint8Array, qos: BenchQoS): PromiseLike<unknown>
  subscribe(topic: string, qos: BenchQoS): Promise<void>
  onMessage(listener: () => void): void
  /** Graceful DISCONNECT. */
  end(): Promise<void>
}

export interface Library {
  name: LibraryName
  connect(url: string, clientId: string, protocolVersion: 4 | 5): Promise<BenchClient>
}

const petrel: Library = {
  name: 'petrel',
  async connect(url, clientId, protocolVersion) {
    // MQTT.js keeps no in-flight window and the bench broker lifts Mosquitto's cap, so Petrel gets the protocol's
    // maximum too: its 3.1.1 default of 20 would make the burst workload measure the window, not the client.
    const client = await petrelConnect(url, {
      clientId,
      protocolVersion,
      reconnect: false,
      keepalive: 60,
      maxInflight: 65_535,
    })
    return {
      publish: (topic, payload, qos) => client.publish(topic, payload, { qos }),
      async subscribe(topic, qos) {
        await client.subscribe(topic, { qos })
      },
      onMessage(listener) {
        client.on('message', listener)
      },
      async end() {
        await client.disconnect()
      },
    }
  },
}

const mqttjs: Library = {
  name: 'mqttjs',
  async connect(url, clientId, protocolVersion) {
    const client = await mqttjsConnect(url, { clientId, protocolVersion, reconnectPeriod: 0, keepalive: 60 })
    return {
      publish: (topic, payload, qos) =>
        new Promise<void>((resolve, reject) => {
          client.publish(topic, payload as Buffer, { qos }, (error) => (error ? reject(error) : resolve()))
        }),
      async subscribe(topic, qos) {
        await client.subscribeAsync(topic, { qos })
      },
      onMessage(listener) {
        client.on('message', listener)
      },
      async end() {
        await client.endAsync()
      },
    }
  },
}

export const LIBRARIES: Record<LibraryName, Library> = { petrel, mqttjs }
