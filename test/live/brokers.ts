// The brokers the live suite runs against. The embedded broker (Aedes, MQTT 3.1 / 3.1.1) always runs;
// Mosquitto (3.1 / 3.1.1 / 5.0) runs when it is installed. When it is not, its tests are still declared and
// each one is marked skipped from inside the test, so a run without Mosquitto never counts them as passed.
import { after, before, describe, type TestContext, test } from 'node:test'
import { startBroker } from '../../src/broker/index.js'
import type { ProtocolVersion } from '../../src/index.js'
import { type MosquittoOptions, mosquittoAvailable, startMosquitto } from '../support/mosquitto.js'

/** A running broker the test may restart (on the same port) or stop. */
export interface LiveBroker {
  readonly url: string
  readonly port: number
  /** Stops the broker and starts it again on the same port (state is kept only where the broker persists it). */
  restart(): Promise<void>
  stop(): Promise<void>
}

export interface BrokerKind {
  readonly name: 'embedded' | 'mosquitto'
  readonly available: boolean
  /** The protocol versions the shared scenarios run with on this broker. */
  readonly versions: readonly ProtocolVersion[]
  /** Publishes $SYS/... topics. */
  readonly publishesSys: boolean
  start(): Promise<LiveBroker>
}

/** PETREL_LIVE_NO_MOSQUITTO=1 runs the suite as on a machine without Mosquitto (to check the skip path). */
export const MOSQUITTO_AVAILABLE = mosquittoAvailable() !== undefined && process.env.PETREL_LIVE_NO_MOSQUITTO !== '1'
export const SKIP_MOSQUITTO = 'SKIPPED: mosquitto not installed'

let warned = false
/** Says loudly, once per test file, that the Mosquitto tests will be skipped. */
export function warnIfMosquittoMissing(): void {
  if (MOSQUITTO_AVAILABLE || warned) return
  warned = true
  console.log(`\n*** ${SKIP_MOSQUITTO}: the Mosquitto live tests are marked skipped, not passed ***\n`)
}

/** Aedes' hooks the tests set (the embedded broker hands out the real Aedes instance). */
export interface AedesHooks {
  authenticate: (
    client: unknown,
    username: string | undefined,
    password: Uint8Array | undefined,
    done: (error: (Error & { returnCode?: number }) | null, success: boolean) => void,
  ) => void
  authorizeSubscribe: (
    client: unknown,
    subscription: { topic: string; qos: number },
    done: (error: Error | null, subscription: { topic: string; qos: number } | null) => void,
  ) => void
}

/** Starts the embedded broker; `configure` runs on the Aedes instance at every (re)start. */
export async function startEmbedded(port = 0, configure?: (aedes: AedesHooks) => void): Promise<LiveBroker> {
  const start = async (on: number) => {
    const started = await startBroker({ port: on })
    configure?.(started.aedes as unknown as AedesHooks)
    return started
  }
  let broker = await start(port)
  const fixedPort = broker.port
  return {
    get url() {
      return `mqtt://127.0.0.1:${fixedPort}`
    },
    port: fixedPort,
    async restart() {
      await broker.close()
      broker = await start(fixedPort)
    },
    stop: () => broker.close(),
  }
}

export async function startMosquittoBroker(options: MosquittoOptions = {}): Promise<LiveBroker> {
  const mosquitto = await startMosquitto(options)
  return {
    url: `mqtt://127.0.0.1:${mosquitto.port}`,
    port: mosquitto.port,
    restart: () => mosquitto.restart(),
    stop: () => mosquitto.stop(),
  }
}

export const EMBEDDED: BrokerKind = {
  name: 'embedded',
  available: true,
  versions: [4],
  publishesSys: true,
  start: () => startEmbedded(),
}

export const MOSQUITTO: BrokerKind = {
  name: 'mosquitto',
  available: MOSQUITTO_AVAILABLE,
  versions: [4, 5],
  publishesSys: true,
  start: () => startMosquittoBroker(),
}

export const BROKERS: readonly BrokerKind[] = [EMBEDDED, MOSQUITTO]

export const VERSION_NAMES: Record<ProtocolVersion, string> = { 3: 'MQTT 3.1', 4: 'MQTT 3.1.1', 5: 'MQTT 5.0' }

/** One broker kind at one protocol version, with the broker started for the enclosing describe(). */
export interface Target {
  readonly kind: BrokerKind
  readonly version: ProtocolVersion
  /** The running broker (only inside a test body). */
  readonly broker: LiveBroker
  /** Declares a test that is skipped (from inside, with the reason) when the broker is not installed. */
  test(name: string, body: (t: TestContext, broker: LiveBroker) => Promise<void>): void
}

/** Declares `body`'s tests once per broker kind and protocol version, each group sharing one broker. */
export function describeEachTarget(
  body: (target: Target) => void,
  kinds: readonly BrokerKind[] = BROKERS,
  versionsOf: (kind: BrokerKind) => readonly ProtocolVersion[] = (kind) => kind.versions,
): void {
  warnIfMosquittoMissing()
  for (const kind of kinds) {
    for (const version of versionsOf(kind)) {
      describe(`${kind.name}, ${VERSION_NAMES[version]}`, () => {
        let running: LiveBroker | undefined
        before(async () => {
          if (kind.available) running = await kind.start()
        })
        after(async () => {
          await running?.stop()
        })
        body({
          kind,
          version,
          get broker() {
            if (running === undefined) throw new Error(`${kind.name} is not running`)
            return running
          },
          test(name, fn) {
            test(name, async (t) => {
              if (!kind.available) {
                t.skip(SKIP_MOSQUITTO)
                return
              }
              await fn(t, running!)
            })
          },
        })
      })
    }
  }
}

/** A test that needs Mosquitto (with its own configuration) and is skipped, from inside, without it. */
export function mosquittoTest(name: string, body: (t: TestContext) => Promise<void>): void {
  warnIfMosquittoMissing()
  test(name, async (t) => {
    if (!MOSQUITTO_AVAILABLE) {
      t.skip(SKIP_MOSQUITTO)
      return
    }
    await body(t)
  })
}

/** Starts a Mosquitto for one test and stops it when the test ends. */
export async function mosquittoFor(t: TestContext, options: MosquittoOptions = {}): Promise<LiveBroker> {
  const broker = await startMosquittoBroker(options)
  t.after(() => broker.stop())
  return broker
}
