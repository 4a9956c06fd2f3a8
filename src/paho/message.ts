// Paho's MQTTMessage (what onMessage receives) and MQTTMessageInfo (what publish returns).
import type { PublishHandle } from '../client/publish-handle.js'
import type { Message } from '../client/types.js'
import type { MqttError } from '../packet/errors.js'
import { MQTT_ERR } from '../packet/reason-codes.js'
import type { Properties, QoS } from '../packet/types.js'

/** A received message, with Paho's field names. */
export class MQTTMessage {
  readonly topic: string
  /** The payload bytes (Paho's bytes). `new TextDecoder().decode(m.payload)` gives the text. */
  readonly payload: Uint8Array
  readonly qos: QoS
  readonly retain: boolean
  readonly dup: boolean
  /** The packet identifier (0 for QoS 0). */
  readonly mid: number
  /** MQTT 5 properties ({} when none). */
  readonly properties: Properties
  /** performance.now() when the message was handed over (Paho's monotonic timestamp, in ms). */
  readonly timestamp: number

  constructor(message: Message) {
    this.topic = message.topic
    this.payload = message.payload
    this.qos = message.qos
    this.retain = message.retain
    this.dup = message.dup
    this.mid = message.packetId ?? 0
    this.properties = message.properties ?? {}
    this.timestamp = performance.now()
  }
}

/**
 * What publish() returns: `mid`, `rc`, `isPublished()`, `waitForPublish()`. Destructures like Paho's tuple:
 * `const [rc, mid] = client.publish(...)`.
 *
 * Unlike Paho, waitForPublish() of a message that was delivered never fails: a message published while
 * offline (rc MQTT_ERR_NO_CONN, kept in the queue) resolves once it is delivered after the reconnect.
 */
export class MQTTMessageInfo {
  readonly mid: number
  readonly rc: number
  readonly #handle: PublishHandle | undefined
  readonly #error: MqttError | undefined

  /** @internal */
  constructor(mid: number, rc: number, handle: PublishHandle | undefined, error?: MqttError) {
    this.mid = mid
    this.rc = rc
    this.#handle = handle
    this.#error = error
  }

  /** true once complete: written (QoS 0), PUBACK (QoS 1) or PUBCOMP (QoS 2) received. */
  isPublished(): boolean {
    return this.#handle?.status === 'done'
  }

  /** The failure, if the publish failed. */
  get error(): MqttError | undefined {
    return this.#error ?? this.#handle?.error
  }

  /**
   * Resolves true once published, false if `timeout` seconds pass first (no timeout: wait until it is
   * published or fails; 0: whether it is published now, as Paho). Rejects with the MqttError when the
   * publish fails (refused by the server, dropped when the client closed, queue full, never sent because the
   * client never connected).
   */
  waitForPublish(timeout?: number): Promise<boolean> {
    const handle = this.#handle
    if (handle === undefined) return Promise.reject(this.#error)
    if (handle.status === 'done') return Promise.resolve(true)
    const done = handle.promise.then(() => true)
    if (timeout === undefined) return done
    if (timeout <= 0) return handle.status === 'failed' ? done : Promise.resolve(false)
    let timer: ReturnType<typeof setTimeout> | undefined
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, timeout * 1000))
    })
    return Promise.race([done, expired]).finally(() => clearTimeout(timer))
  }

  *[Symbol.iterator](): Iterator<number> {
    yield this.rc
    yield this.mid
  }
}

/** The rc Paho reports for a failure code. */
export function errorCodeFor(error: MqttError): number {
  switch (error.code) {
    case 'ERR_QUEUE_FULL':
      return MQTT_ERR.QUEUE_SIZE
    case 'ERR_PACKET_TOO_LARGE':
      return MQTT_ERR.PAYLOAD_SIZE
    case 'ERR_NOT_CONNECTED':
    case 'ERR_CLOSED':
      return MQTT_ERR.NO_CONN
    default:
      return MQTT_ERR.INVAL
  }
}
