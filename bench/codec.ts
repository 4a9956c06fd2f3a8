// Codec benchmark: Petrel's encode / Decoder against mqtt-packet's generate() / parser() (the codec inside
// MQTT.js), in one process, in interleaved rounds so that drift (JIT, GC, CPU frequency) hits both alike.
// Usage: node --import tsx bench/codec.ts [--quick] [--json]
import * as mqttPacket from 'mqtt-packet'
import { Decoder } from '../src/packet/decode.js'
import { encode } from '../src/packet/encode.js'
import type { ConnectPacket, Packet, ProtocolVersion, PubackPacket, PublishPacket } from '../src/packet/types.js'

interface Workload {
  name: string
  petrel: () => number
  mqttPacket: () => number
}

const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const json = args.has('--json')
const ROUNDS = quick ? 3 : 15
const ROUND_MS = quick ? 60 : 200
const BATCH = 256

const payload = new Uint8Array(64).map((_, i) => i)

const publish: PublishPacket = {
  type: 'publish',
  topic: 'sensors/building-7/floor-3/temperature',
  payload,
  qos: 1,
  retain: false,
  dup: false,
  packetId: 4242,
}
const connect: ConnectPacket = {
  type: 'connect',
  protocolVersion: 5,
  clientId: 'petrel-bench-client-0001',
  clean: true,
  keepalive: 60,
  username: 'bench',
  password: new TextEncoder().encode('secret'),
  will: {
    topic: 'clients/petrel-bench-client-0001/status',
    payload: new TextEncoder().encode('offline'),
    qos: 1,
    retain: true,
    properties: { willDelayInterval: 5, contentType: 'text/plain', messageExpiryInterval: 3600 },
  },
  properties: {
    sessionExpiryInterval: 3600,
    receiveMaximum: 100,
    maximumPacketSize: 1 << 20,
    topicAliasMaximum: 10,
    userProperties: [['app', 'bench']],
  },
}
const puback: PubackPacket = { type: 'puback', packetId: 4242 }

// The same packets as mqtt-packet objects.
const mqttPublish = {
  cmd: 'publish',
  topic: publish.topic,
  payload: Buffer.from(payload),
  qos: 1,
  retain: false,
  dup: false,
  messageId: 4242,
} as const
const mqttConnect = {
  cmd: 'connect',
  protocolId: 'MQTT',
  protocolVersion: 5,
  clientId: connect.clientId,
  clean: true,
  keepalive: 60,
  username: 'bench',
  password: Buffer.from('secret'),
  will: {
    topic: connect.will!.topic,
    payload: Buffer.from('offline'),
    qos: 1,
    retain: true,
    properties: { willDelayInterval: 5, contentType: 'text/plain', messageExpiryInterval: 3600 },
  },
  properties: {
    sessionExpiryInterval: 3600,
    receiveMaximum: 100,
    maximumPacketSize: 1 << 20,
    topicAliasMaximum: 10,
    userProperties: { app: 'bench' },
  },
} as const
const mqttPuback = { cmd: 'puback', messageId: 4242 } as const

function encodeWorkload(name: string, packet: Packet, object: mqttPacket.Packet, version: ProtocolVersion): Workload {
  const opts = { protocolVersion: version }
  return {
    name: `${name} encode`,
    petrel: () => encode(packet, version).length,
    mqttPacket: () => mqttPacket.generate(object, opts).length,
  }
}

function decodeWorkload(name: string, packet: Packet, version: ProtocolVersion): Workload {
  const bytes = encode(packet, version)
  const buffer = Buffer.from(bytes)
  const decoder = new Decoder({ protocolVersion: version })
  const parser = mqttPacket.parser({ protocolVersion: version })
  let parsed = 0
  parser.on('packet', () => parsed++)
  return {
    name: `${name} decode`,
    petrel: () => decoder.push(bytes).length,
    mqttPacket: () => {
      parser.parse(buffer)
      return parsed
    },
  }
}

const WORKLOADS: Workload[] = [
  encodeWorkload('PUBLISH QoS 1, 64 B (3.1.1)', publish, mqttPublish, 4),
  decodeWorkload('PUBLISH QoS 1, 64 B (3.1.1)', publish, 4),
  encodeWorkload('CONNECT + will + properties (5)', connect, mqttConnect, 5),
  decodeWorkload('CONNECT + will + properties (5)', connect, 5),
  encodeWorkload('PUBACK (3.1.1)', puback, mqttPuback, 4),
  decodeWorkload('PUBACK (3.1.1)', puback, 4),
]

let sink = 0 // results feed this so the work cannot be optimised away

/** Operations per second of `op` over one round of about ROUND_MS. */
function round(op: () => number): number {
  const start = performance.now()
  let ops = 0
  let elapsed = 0
  do {
    for (let i = 0; i < BATCH; i++) sink += op()
    ops += BATCH
    elapsed = performance.now() - start
  } while (elapsed < ROUND_MS)
  return (ops / elapsed) * 1000
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

interface Result {
  workload: string
  petrel: number
  mqttPacket: number
  unit: 'ops/s'
  ratio: number
}

function run(workload: Workload): Result {
  round(workload.petrel) // warm-up, both
  round(workload.mqttPacket)
  const petrel: number[] = []
  const theirs: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first, so neither always runs right after a GC triggered by the other.
    if (i % 2 === 0) {
      petrel.push(round(workload.petrel))
      theirs.push(round(workload.mqttPacket))
    } else {
      theirs.push(round(workload.mqttPacket))
      petrel.push(round(workload.petrel))
    }
  }
  const p = median(petrel)
  const m = median(theirs)
  return {
    workload: workload.name,
    petrel: Math.round(p),
    mqttPacket: Math.round(m),
    unit: 'ops/s',
    ratio: +(p / m).toFixed(2),
  }
}

const format = (n: number) => n.toLocaleString('en-US').padStart(14)

if (!json) {
  console.log(
    `Codec benchmark: Petrel vs mqtt-packet ${quick ? '(quick) ' : ''}— median of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms`,
  )
  console.log(
    `${'workload'.padEnd(40)}${'petrel ops/s'.padStart(14)}${'mqtt-packet'.padStart(14)}${'ratio'.padStart(8)}`,
  )
}
for (const workload of WORKLOADS) {
  const result = run(workload)
  if (json) console.log(JSON.stringify(result))
  else {
    console.log(
      `${result.workload.padEnd(40)}${format(result.petrel)}${format(result.mqttPacket)}${`${result.ratio.toFixed(2)}x`.padStart(8)}`,
    )
  }
}
if (sink === -1) console.log('') // keeps `sink` observable
