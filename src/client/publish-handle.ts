// What publish() returns: a thenable with the packet id known at once (Paho's MQTTMessageInfo.mid) — except
// when all 65,535 ids are in use: the message then waits without one and `packetId` reads it once assigned.
// The underlying Promise is created only when someone awaits the handle, so a fire-and-forget publish
// costs no Promise and a failed one that nobody awaits cannot become an unhandled rejection.
import type { MqttError } from '../packet/errors.js'
import type { Properties, QoS } from '../packet/types.js'

/** How a publish completed. */
export interface PublishResult {
  /** The packet id used (QoS 1 and 2 only). */
  packetId?: number
  qos: QoS
  /** MQTT 5 PUBACK / PUBCOMP reason code (0 = success, 0x10 = no matching subscribers); 0 otherwise. */
  reasonCode: number
  /** MQTT 5 properties of the PUBACK / PUBCOMP (reason string, user properties). */
  properties?: Properties
}

export class PublishHandle implements PromiseLike<PublishResult> {
  readonly qos: QoS
  #packetId: number | undefined
  // Plain fields rather than a state object: no allocation to create or settle a handle (hot path).
  #status: 'pending' | 'done' | 'failed' = 'pending'
  #result: PublishResult | undefined
  #error: MqttError | undefined
  #promise: Promise<PublishResult> | undefined
  #resolve: ((result: PublishResult) => void) | undefined
  #reject: ((error: MqttError) => void) | undefined

  constructor(qos: QoS, packetId?: number) {
    this.qos = qos
    this.#packetId = packetId
  }

  /**
   * Known at once for QoS 1 and 2 in the common case; undefined for QoS 0, for a publish rejected up front,
   * and — until the message enters the in-flight window — for one queued while all 65,535 ids were in use.
   */
  get packetId(): number | undefined {
    return this.#packetId
  }

  /** @internal Called by the client when a queued message gets its packet id. */
  assignPacketId(packetId: number): void {
    this.#packetId = packetId
  }

  /** A handle that has already failed (bad input): publish() never throws. */
  static failed(qos: QoS, error: MqttError): PublishHandle {
    const handle = new PublishHandle(qos)
    handle.settleFailure(error)
    return handle
  }

  /** 'pending' until the publish completes or fails (Paho's is_published()). */
  get status(): 'pending' | 'done' | 'failed' {
    return this.#status
  }

  /** The failure, once failed (Paho's rc). */
  get error(): MqttError | undefined {
    return this.#error
  }

  /** @internal Called by the client when the session reports completion. */
  settleSuccess(result: PublishResult): void {
    if (this.#status !== 'pending') return
    this.#status = 'done'
    this.#result = result
    this.#resolve?.(result)
  }

  /** @internal Called by the client when the session reports a failure. */
  settleFailure(error: MqttError): void {
    if (this.#status !== 'pending') return
    this.#status = 'failed'
    this.#error = error
    this.#reject?.(error)
  }

  /** The completion as a real Promise. */
  get promise(): Promise<PublishResult> {
    if (this.#promise === undefined) {
      if (this.#status === 'done') this.#promise = Promise.resolve(this.#result!)
      else if (this.#status === 'failed') this.#promise = Promise.reject(this.#error)
      else {
        this.#promise = new Promise<PublishResult>((resolve, reject) => {
          this.#resolve = resolve
          this.#reject = reject
        })
      }
    }
    return this.#promise
  }

  // biome-ignore lint/suspicious/noThenProperty: a PublishHandle is meant to be awaited.
  then<A = PublishResult, B = never>(
    onFulfilled?: ((result: PublishResult) => A | PromiseLike<A>) | null,
    onRejected?: ((error: MqttError) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.promise.then(onFulfilled, onRejected)
  }

  catch<B = never>(onRejected?: ((error: MqttError) => B | PromiseLike<B>) | null): Promise<PublishResult | B> {
    return this.promise.catch(onRejected)
  }

  finally(onFinally?: (() => void) | null): Promise<PublishResult> {
    return this.promise.finally(onFinally)
  }
}
