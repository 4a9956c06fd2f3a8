import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'
import {
  CallbackAPIVersion,
  Client,
  type ConnectFlags,
  connackString,
  errorString,
  MQTT_ERR_INVAL,
  MQTT_ERR_NO_CONN,
  MQTT_ERR_NOT_FOUND,
  MQTT_ERR_SUCCESS,
  MQTT_LOG_DEBUG,
  type MQTTMessage,
  MQTTv311,
  ReasonCode,
  topicMatchesSub,
} from '../../src/paho/index.js'
import { freePort } from '../support/mosquitto.js'

const text = (m: MQTTMessage) => new TextDecoder().decode(m.payload)

/** Resolves when `predicate` holds, polling every 5 ms (fails after 3 s). */
async function until(predicate: () => boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 3000
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('Paho facade against the embedded broker', () => {
  let broker: EmbeddedBroker
  before(async () => {
    broker = await startBroker({ port: 0 })
  })
  after(() => broker.close())

  test('connect / subscribe / publish / message / unsubscribe / disconnect, with callback API v2 signatures', async () => {
    const events: string[] = []
    const client = new Client<{ name: string }>(CallbackAPIVersion.VERSION2, {
      clientId: 'paho-basic',
      userdata: { name: 'ud' },
    })
    let connectFlags: ConnectFlags | undefined
    client.onPreConnect = () => events.push('pre-connect')
    client.onSocketOpen = (_c, _u, socket) => events.push(`socket-open:${socket === client.socket()}`)
    client.onConnect = (c, userdata, flags, rc, properties) => {
      assert.equal(c, client)
      assert.equal(userdata.name, 'ud')
      assert.deepEqual(properties, {})
      connectFlags = flags
      events.push(`connect:${rc.getName()}:${rc.value}`)
    }
    const messages: MQTTMessage[] = []
    client.onMessage = (_c, _u, message) => messages.push(message)
    const subacks: Array<[number, number[]]> = []
    client.onSubscribe = (_c, _u, mid, codes) => subacks.push([mid, codes.map((code) => code.value)])
    const published: number[] = []
    client.onPublish = (_c, _u, mid, rc) => {
      assert.equal(rc.isFailure, false)
      published.push(mid)
    }
    let unsubscribedMid: number | undefined
    client.onUnsubscribe = (_c, _u, mid, codes) => {
      assert.equal(codes.length, 1)
      unsubscribedMid = mid
    }
    client.onDisconnect = (_c, _u, flags, rc) =>
      events.push(`disconnect:${flags.isDisconnectPacketFromServer}:${rc.value}`)
    client.onSocketClose = () => events.push('socket-close')

    assert.equal(client.isConnected(), false)
    assert.equal(client.loopRead(), MQTT_ERR_NO_CONN)
    assert.equal(await client.connect('127.0.0.1', broker.port, 30), MQTT_ERR_SUCCESS)
    assert.equal(client.isConnected(), true)
    assert.deepEqual(connectFlags, { sessionPresent: false })
    assert.equal(client.loopRead(), MQTT_ERR_SUCCESS)
    assert.equal(client.loopWrite(), MQTT_ERR_SUCCESS)
    assert.equal(client.loopMisc(), MQTT_ERR_SUCCESS)
    assert.equal(client.wantWrite(), false)
    assert.notEqual(client.socket(), null)

    const [rc, mid] = client.subscribe([
      ['paho/a', 1],
      ['paho/b', { qos: 2 }],
    ])
    assert.equal(rc, MQTT_ERR_SUCCESS)
    await until(() => subacks.length === 1, 'SUBACK')
    assert.deepEqual(subacks, [[mid, [1, 2]]])

    const info = client.publish('paho/a', 'hello', 1)
    const [infoRc, infoMid] = info
    assert.equal(infoRc, MQTT_ERR_SUCCESS)
    assert.equal(infoMid, info.mid)
    assert.equal(await info.waitForPublish(2), true)
    assert.equal(info.isPublished(), true)
    const qos2 = client.publish('paho/b', new Uint8Array([1, 2]), 2, false)
    await qos2.waitForPublish()
    client.publish('paho/a', 'zero', 0)
    await until(() => messages.length === 3, 'three messages')
    assert.deepEqual(
      messages.map((m) => [m.topic, m.qos]).sort(),
      [
        ['paho/a', 0],
        ['paho/a', 1],
        ['paho/b', 2],
      ].sort(),
    )
    assert.equal(text(messages.find((m) => m.qos === 1)!), 'hello')
    assert.ok(messages.every((m) => m.retain === false && typeof m.timestamp === 'number'))
    await until(() => published.length === 3, 'onPublish')
    assert.ok(published.includes(info.mid) && published.includes(qos2.mid))

    const [urc, umid] = client.unsubscribe('paho/a')
    assert.equal(urc, MQTT_ERR_SUCCESS)
    await until(() => unsubscribedMid === umid, 'UNSUBACK')

    assert.equal(await client.disconnect(), MQTT_ERR_SUCCESS)
    assert.equal(client.isConnected(), false)
    assert.equal(client.socket(), null)
    assert.deepEqual(events, [
      'pre-connect',
      'socket-open:true',
      'connect:Success:0',
      'socket-close',
      'disconnect:false:0',
    ])
    // Not connected any more: Paho's answers.
    assert.deepEqual(client.subscribe('x'), [MQTT_ERR_NO_CONN, null])
    assert.deepEqual(client.unsubscribe('x'), [MQTT_ERR_NO_CONN, null])
    assert.equal(await client.disconnect(), MQTT_ERR_NO_CONN)
  })

  test('messageCallbackAdd routes matching messages away from onMessage; messageCallbackRemove undoes it', async () => {
    const client = new Client({ userdata: 7 })
    const general: string[] = []
    const specific: string[] = []
    client.onMessage = (_c, _u, m) => general.push(m.topic)
    client.messageCallbackAdd('route/special/#', (_c, userdata, m) => {
      assert.equal(userdata, 7)
      specific.push(m.topic)
    })
    await client.connect('127.0.0.1', broker.port)
    client.subscribe('route/#', 1)
    await until(() => client.publish('route/plain', 'p', 1).rc === MQTT_ERR_SUCCESS && general.length > 0, 'plain')
    client.publish('route/special/x', 's', 1)
    await until(() => specific.length === 1, 'special')
    client.messageCallbackRemove('route/special/#')
    client.publish('route/special/y', 's', 1)
    await until(() => general.includes('route/special/y'), 'removed handler')
    assert.deepEqual(specific, ['route/special/x'])
    await client.disconnect()
  })

  test('publish before connect fails with NO_CONN; invalid input throws; waitForPublish times out with false', async () => {
    const client = new Client()
    const early = client.publish('t', 'x', 1)
    assert.equal(early.rc, MQTT_ERR_NO_CONN)
    assert.equal(early.isPublished(), false)
    await assert.rejects(early.waitForPublish(0.01), { code: 'ERR_CLIENT_STATE' })
    assert.throws(() => client.publish('bad/#', 'x'), { code: 'ERR_TOPIC_NAME' })
    assert.throws(() => client.publish('t', 'x', 3 as never), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => client.subscribe('a/#/b'), { code: 'ERR_TOPIC_FILTER' })
    assert.throws(() => client.subscribe([]), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => client.willSet('will/+', 'x'), { code: 'ERR_TOPIC_NAME' })
    assert.throws(() => client.tlsInsecureSet(true), { code: 'ERR_CLIENT_STATE' })
    assert.throws(() => client.wsSetOptions('/x'), { code: 'ERR_CLIENT_STATE' })
    assert.throws(() => client.reconnectDelaySet(5, 1), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => new Client(CallbackAPIVersion.VERSION1), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => new Client({ protocol: 5, cleanSession: true }), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => new Client({ cleanSession: false }), { code: 'ERR_INVALID_ARGUMENT' })
    await assert.rejects(client.reconnect(), { code: 'ERR_CLIENT_STATE' })
    await assert.rejects(client.loopForever(), { code: 'ERR_CLIENT_STATE' })

    // A zero timeout answers at once (as Paho): false before the PUBACK; a longer one sees it: true.
    await client.connect('127.0.0.1', broker.port)
    const info = client.publish('slow', 'x', 1)
    assert.equal(await info.waitForPublish(0), false)
    assert.equal(await info.waitForPublish(2), true)
    await client.disconnect()
  })

  test('a message published while offline reports NO_CONN but waitForPublish resolves once it is delivered', async () => {
    const client = new Client({ clientId: 'paho-offline' })
    client.reconnectDelaySet(0.02, 0.05)
    await client.connect('127.0.0.1', broker.port)
    assert.equal(client.loopStart(), MQTT_ERR_SUCCESS)
    assert.equal(client.loopStart(), MQTT_ERR_INVAL)
    let disconnects = 0
    client.onDisconnect = () => disconnects++
    client.socket()!.destroy()
    await until(() => !client.isConnected(), 'loss')
    const info = client.publish('offline/q1', 'later', 1)
    assert.equal(info.rc, MQTT_ERR_NO_CONN)
    assert.equal(await info.waitForPublish(3), true)
    assert.equal(client.isConnected(), true)
    assert.equal(disconnects, 1)
    assert.equal(client.loopStop(), MQTT_ERR_SUCCESS)
    assert.equal(client.loopStop(), MQTT_ERR_INVAL)
    await client.disconnect()
  })

  test('loopForever connects (connectAsync), reconnects after a loss, and resolves at disconnect()', async () => {
    const client = new Client()
    client.reconnectDelaySet(0.02, 0.05)
    let connects = 0
    client.onConnect = (c) => {
      connects++
      if (connects === 1) c.socket()!.destroy()
      else void c.disconnect()
    }
    assert.equal(client.connectAsync('127.0.0.1', broker.port), MQTT_ERR_SUCCESS)
    assert.equal(await client.loopForever(), MQTT_ERR_SUCCESS)
    assert.equal(connects, 2)
  })

  test('loopForever rejects when the first connection fails, or retries with retryFirstConnection', async () => {
    const port = await freePort()
    const failing = new Client()
    failing.connectAsync('127.0.0.1', port)
    let fails = 0
    failing.onConnectFail = () => fails++
    await assert.rejects(failing.loopForever(), { code: 'ERR_CONNECT' })
    assert.equal(fails, 1)

    const retrying = new Client()
    retrying.reconnectDelaySet(0.01, 0.02)
    retrying.connectAsync('127.0.0.1', port)
    retrying.onConnectFail = (c) => {
      if (++fails === 3) void c.disconnect()
    }
    assert.equal(await retrying.loopForever({ retryFirstConnection: true }), MQTT_ERR_SUCCESS)
    assert.equal(fails, 3)
  })

  test('loop(timeout) yields to the event loop and reports the connection; reconnect() connects again', async () => {
    const client = new Client()
    await client.connect('127.0.0.1', broker.port)
    assert.equal(await client.loop(0.01), MQTT_ERR_SUCCESS)
    await client.disconnect()
    assert.equal(await client.loop(0), MQTT_ERR_NO_CONN)
    assert.equal(await client.reconnect(), MQTT_ERR_SUCCESS)
    assert.equal(client.isConnected(), true)
    await client.disconnect()
  })

  test('will, manual ack, logging, userdata and reinitialise', async () => {
    const watcher = new Client()
    const wills: string[] = []
    watcher.onMessage = (_c, _u, m) => wills.push(text(m))
    await watcher.connect('127.0.0.1', broker.port)
    watcher.subscribe('will/topic', 1)
    await until(() => broker.aedes.connectedClients >= 1, 'watcher')

    const client = new Client({ clientId: 'paho-will', manualAck: true })
    client.willSet('will/topic', 'gone', 1, false)
    client.willClear()
    client.willSet('will/topic', 'gone for good', 1, false)
    const logs: number[] = []
    client.onLog = (_c, _u, level, buf) => {
      assert.equal(typeof buf, 'string')
      logs.push(level)
    }
    const lines: string[] = []
    client.enableLogger({ debug: (line) => lines.push(line), info: (line) => lines.push(line) })
    client.userDataSet('data')
    assert.equal(client.userData(), 'data')
    const received: MQTTMessage[] = []
    client.onMessage = (_c, _u, m) => received.push(m)
    await client.connect('127.0.0.1', broker.port)
    assert.ok(logs.includes(MQTT_LOG_DEBUG))
    assert.ok(lines.length > 0)
    client.disableLogger()
    const before = lines.length
    client.subscribe('manual/ack', 1)
    await new Promise((resolve) => setTimeout(resolve, 50))
    client.publish('manual/ack', 'm', 1)
    await until(() => received.length === 1, 'manual message')
    assert.equal(client.ack(received[0]!.mid, 1), MQTT_ERR_SUCCESS)
    assert.equal(client.ack(received[0]!.mid, 1), MQTT_ERR_NOT_FOUND)
    assert.equal(client.ack(5, 0), MQTT_ERR_SUCCESS)
    assert.equal(lines.length, before)
    client.socket()!.destroy() // no DISCONNECT: the broker publishes the will
    await until(() => wills.includes('gone for good'), 'will')
    assert.equal(wills.length, 1)
    await client.reinitialise('fresh', true, 'other')
    assert.equal(client.userData(), 'other')
    assert.equal(client.isConnected(), false)
    await watcher.disconnect()
  })

  test('username / password, TLS settings, WebSocket and proxy setters are accepted', () => {
    const client = new Client({ transport: 'websockets' })
    client.usernamePwSet('user', 'pass')
    client.wsSetOptions('/ws', { 'X-Test': '1' })
    client.tlsSetContext()
    client.tlsInsecureSet(true)
    client.tlsSet({ insecure: true })
    client.proxySet('socks5://127.0.0.1:1080')
    client.maxInflightMessagesSet(10)
    client.maxQueuedMessagesSet(0)
    client.enableBridgeMode()
    client.manualAckSet(false)
    assert.throws(() => client.maxInflightMessagesSet(-1), { code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => client.connectAsync('h', 1, 60, '', 1234), { code: 'ERR_INVALID_ARGUMENT' })
  })
})

describe('Paho helpers and constants', () => {
  test('ReasonCode: value, getName, isFailure, comparisons with numbers', () => {
    const ok = new ReasonCode('connack', 0)
    const refused = new ReasonCode('connack', 0x86)
    assert.equal(ok.getName(), 'Success')
    assert.equal(refused.getName(), 'Bad User Name or Password')
    assert.equal(refused.isFailure, true)
    assert.equal(ok.isFailure, false)
    // biome-ignore lint/suspicious/noDoubleEquals: Paho code compares reason codes with == and numbers.
    assert.ok((ok as unknown as number) == 0)
    assert.ok((refused as unknown as number) > 0x80)
    assert.equal(Number(refused), 0x86)
    assert.equal(`${refused}`, 'Bad User Name or Password')
    assert.ok(refused.equals(0x86) && refused.equals('Bad User Name or Password') && refused.equals(refused))
    assert.equal(new ReasonCode('suback', 0).getName(), 'Granted QoS 0')
  })

  test('connackString, errorString, topicMatchesSub, MQTTv311', () => {
    assert.equal(connackString(5), 'Connection Refused: not authorised.')
    assert.equal(errorString(MQTT_ERR_NO_CONN), 'The client is not currently connected.')
    assert.equal(topicMatchesSub('a/+/c', 'a/b/c'), true)
    assert.equal(topicMatchesSub('a/#', 'b'), false)
    assert.equal(MQTTv311, 4)
  })
})
