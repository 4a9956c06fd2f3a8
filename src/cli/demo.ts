// The demo behind `npm start` (and `petrel demo`): an embedded broker on a free port, then a subscriber and
// a publisher exchanging QoS 0, 1 and 2 messages, a retained message picked up by a late subscriber, and a
// will published when a client vanishes without DISCONNECT. One line per step; exits 0 when every step
// worked, 1 with the reason otherwise.
import { performance } from 'node:perf_hooks'
import { startBroker } from '../broker/index.js'
import { type Client, connect, type Message, type QoS } from '../index.js'

const STEP_TIMEOUT_MS = 5_000

const started = performance.now()
const decoder = new TextDecoder()

function elapsed(since: number): string {
  return `${(performance.now() - since).toFixed(1)} ms`
}

function say(actor: string, line: string): void {
  const clock = `${((performance.now() - started) / 1000).toFixed(3)}s`.padStart(8)
  console.log(`${clock}  ${actor.padEnd(10)} ${line}`)
}

function describe(message: Message): string {
  const flags = [`qos ${message.qos}`, message.retain ? 'retained' : undefined].filter(Boolean).join(', ')
  return `'${decoder.decode(message.payload)}' on ${message.topic} (${flags})`
}

/** The next message `client` receives on `topic`, or a clear failure after STEP_TIMEOUT_MS. */
function nextMessage(client: Client, topic: string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage)
      reject(new Error(`no message on ${topic} within ${STEP_TIMEOUT_MS} ms`))
    }, STEP_TIMEOUT_MS)
    const onMessage = (message: Message) => {
      if (message.topic !== topic) return
      clearTimeout(timer)
      client.off('message', onMessage)
      resolve(message)
    }
    client.on('message', onMessage)
  })
}

async function run(clients: Client[], url: string): Promise<void> {
  const open = async (name: string, options: Parameters<typeof connect>[1] = {}) => {
    const since = performance.now()
    const client = await connect(url, {
      clientId: `demo-${name}`,
      reconnect: false,
      connectTimeout: STEP_TIMEOUT_MS,
      ...options,
    })
    clients.push(client)
    say(
      name,
      `connected as ${client.clientId}, MQTT ${client.protocolVersion === 5 ? '5.0' : '3.1.1'} (${elapsed(since)})`,
    )
    return client
  }

  // 1. QoS 0, 1 and 2 between a publisher and a subscriber.
  const subscriber = await open('subscriber')
  await subscriber.subscribe('demo/qos/#', { qos: 2 })
  say('subscriber', "subscribed to 'demo/qos/#' at QoS 2")
  const publisher = await open('publisher')
  for (const qos of [0, 1, 2] as QoS[]) {
    const topic = `demo/qos/${qos}`
    const arrival = nextMessage(subscriber, topic)
    const since = performance.now()
    const handle = publisher.publish(topic, `hello at QoS ${qos}`, { qos })
    await handle
    const ack = ['written to the socket', 'PUBACK', 'PUBCOMP'][qos]
    const id = handle.packetId === undefined ? '' : ` packet id ${handle.packetId},`
    say('publisher', `published 'hello at QoS ${qos}' to ${topic} —${id} ${ack} after ${elapsed(since)}`)
    say('subscriber', `received ${describe(await arrival)} ${elapsed(since)} after publishing`)
  }

  // 2. A retained message reaches a subscriber that arrives later.
  await publisher.publish('demo/status', 'online since the start of the demo', { qos: 1, retain: true })
  say('publisher', "published a retained message to 'demo/status'")
  const late = await open('late')
  const retained = nextMessage(late, 'demo/status')
  await late.subscribe('demo/status', { qos: 1 })
  say('late', `subscribed to 'demo/status', got ${describe(await retained)}`)

  // 3. The will: a client that vanishes without DISCONNECT has its last words published by the broker.
  const will = nextMessage(subscriber, 'demo/will')
  await subscriber.subscribe('demo/will', { qos: 1 })
  const fragile = await open('fragile', {
    keepalive: 5,
    will: { topic: 'demo/will', payload: 'fragile went away without saying goodbye', qos: 1 },
  })
  const since = performance.now()
  await fragile.close() // destroys the socket: no DISCONNECT, so the broker publishes the will
  say('fragile', 'socket destroyed without DISCONNECT')
  say('subscriber', `received the will ${describe(await will)} ${elapsed(since)} later`)
}

async function main(): Promise<number> {
  const broker = await startBroker({ port: 0 })
  say('broker', `embedded broker (Aedes) listening on ${broker.url}`)
  const clients: Client[] = []
  try {
    await run(clients, broker.url)
    for (const client of clients) await client.disconnect()
    say('demo', `every step worked; ${clients.length} clients disconnected`)
    return 0
  } catch (error) {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  } finally {
    await Promise.all(clients.map((client) => client.close()))
    await broker.close()
    say('broker', `closed; total ${elapsed(started)}`)
  }
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error('demo failed:', error)
    process.exitCode = 1
  },
)
