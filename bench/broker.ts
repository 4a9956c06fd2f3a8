// The broker every workload runs against: a Mosquitto started for the run (limits raised so that the broker
// is never the bottleneck being measured), or the embedded broker when Mosquitto is not installed.
import { startBroker } from '../src/broker/index.js'
import { mosquittoAvailable, startMosquitto } from '../test/support/mosquitto.js'

export interface BenchBroker {
  url: string
  description: string
  /** Said once at the top of the report (e.g. the fallback). */
  note?: string
  stop(): Promise<void>
}

/** Mosquitto settings for benchmarking: no caps on connections, in-flight windows or queues. */
const BENCH_CONFIG = [
  'max_connections -1',
  // 0 = unlimited; for MQTT 5 clients this also makes the CONNACK's Receive Maximum 65,535.
  'max_inflight_messages 0',
  'max_queued_messages 0',
  'max_queued_bytes 0',
  'set_tcp_nodelay true',
]

export async function startBenchBroker(): Promise<BenchBroker> {
  if (mosquittoAvailable() !== undefined) {
    const mosquitto = await startMosquitto({ config: BENCH_CONFIG })
    return {
      url: `mqtt://127.0.0.1:${mosquitto.port}`,
      description: `Mosquitto on port ${mosquitto.port} (${BENCH_CONFIG.join(', ')})`,
      stop: () => mosquitto.stop(),
    }
  }
  const embedded = await startBroker({ port: 0 })
  return {
    url: embedded.url,
    description: `embedded broker (Aedes) on port ${embedded.port}`,
    note: 'Mosquitto is not installed: falling back to the embedded broker, which runs in this process and shares its CPU, so the figures are lower and noisier than against Mosquitto',
    stop: () => embedded.close(),
  }
}
