// The pump: the session's bytes to the connection, and its events to the application — publish handles,
// SUBSCRIBE / UNSUBSCRIBE promises, the message router and the client's events. The hot path: no
// allocation per message beyond the result a publish handle settles with.
import type { ReceivedMessage, SessionEvent } from '../session/api.js'
import { closeAttempt } from './attempts.js'
import type { ClientCore } from './core.js'
import { asMqttError } from './errors.js'
import { groupForResubscribe } from './requests.js'
import type { ConnectEvent, Message } from './types.js'

/** Pumps at the end of the current microtask queue (after a command queued something). */
export function scheduleFlush(c: ClientCore): void {
  if (c.flushScheduled) return
  c.flushScheduled = true
  queueMicrotask(() => pump(c))
}

/** With manualAck: acknowledges a received QoS 1/2 message (client.ack() and message.ack()). */
export function acknowledge(c: ClientCore, message: ReceivedMessage, reasonCode: number | undefined): void {
  if (c.state === 'closed') return
  c.session.ack(message, reasonCode)
  scheduleFlush(c)
}

/** Writes what the session wants written and acts on its events, until it has nothing more. */
export function pump(c: ClientCore): void {
  c.flushScheduled = false
  if (c.pumping) return // an event handler called back into the client: the outer loop continues
  c.pumping = true
  try {
    for (;;) {
      let chunks = c.session.takeOutgoing()
      const events = c.session.takeEvents()
      // The SUBSCRIBEs that restore a lost session go out before the publishes queued while offline,
      // or the server would route those before the subscriptions exist.
      if (c.everConnected && c.options.resubscribe !== false && sessionLost(events)) {
        resubscribe(c)
        chunks = [...c.session.takeOutgoing(), ...chunks]
      }
      if (chunks.length > 0) c.attempt?.write(chunks)
      if (chunks.length === 0 && events.length === 0) break
      for (const event of events) handle(c, event)
    }
  } finally {
    c.pumping = false
  }
  c.schedule()
}

function handle(c: ClientCore, event: SessionEvent): void {
  const attempt = c.attempt
  c.failover?.observe(event)
  switch (event.type) {
    case 'connected':
      connected(c, event)
      return
    case 'connect-failed':
      if (attempt !== undefined) attempt.refused(event.error, event.fatal)
      c.log('warn', 'connection refused', { error: event.error, fatal: event.fatal })
      return
    case 'version-fallback':
      if (attempt !== undefined) attempt.fallback = true
      return
    case 'message':
      deliver(c, event.message)
      return
    case 'publish-done': {
      const handle = c.pending.takePublish(event.token)
      if (handle === undefined) return
      const result = {
        packetId: event.packetId,
        qos: handle.qos,
        reasonCode: event.reasonCode ?? 0,
        properties: event.properties,
      }
      // Backpressure: a QoS 0 publish counts as written once the transport is below its high-water mark.
      if (handle.qos === 0 && attempt !== undefined && !attempt.writable) c.awaitingDrain.push([handle, result])
      else handle.settleSuccess(result)
      return
    }
    case 'publish-failed':
      c.pending.takePublish(event.token)?.settleFailure(event.error)
      return
    case 'publish-id':
      c.pending.assignPacketId(event.token, event.packetId)
      return
    case 'subscribed':
    case 'unsubscribed':
      c.pending.settle(event.token, event.reasonCodes)
      return
    case 'request-failed':
      c.pending.fail(event.token, event.error)
      return
    case 'server-disconnect':
      c.log('warn', `the server sent DISCONNECT (reason ${event.reasonCode})`)
      c.emit('disconnect', { reasonCode: event.reasonCode, fromServer: true, properties: event.properties })
      return
    case 'auth':
      c.log('debug', `AUTH from the server (reason ${event.reasonCode})`)
      return
    case 'pong':
      c.emit('pong', { roundTripMs: event.roundTripMs })
      return
    case 'close':
      if (attempt !== undefined) closeAttempt(c, attempt, event.error, true)
      return
    case 'error':
      c.emit('error', event.error)
      return
  }
}

function connected(c: ClientCore, event: Extract<SessionEvent, { type: 'connected' }>): void {
  const attempt = c.attempt
  if (attempt !== undefined) attempt.deadline = undefined
  const reconnected = c.everConnected
  if (reconnected) c.reconnects++
  c.state = 'connected'
  c.everConnected = true
  c.reconnectCount = 0
  const info: ConnectEvent = {
    sessionPresent: event.sessionPresent,
    protocolVersion: c.session.protocolVersion,
    properties: event.connack.properties,
    connack: event.connack,
    reconnected,
  }
  c.lastConnect = info
  c.log('info', `connected (MQTT protocol level ${info.protocolVersion}, session present: ${info.sessionPresent})`)
  const waiters = c.connectWaiters
  c.connectWaiters = []
  for (const waiter of waiters) waiter.resolve(info)
  c.emit('connect', info)
  c.emit('up', info)
}

/** The server lost our session: subscribe again to everything the session remembers. */
function resubscribe(c: ClientCore): void {
  const groups = groupForResubscribe(c.session.subscriptions())
  if (groups.length === 0) return
  c.log('info', 'the server has no session: resubscribing')
  for (const { subscriptions, properties } of groups) {
    try {
      const token = c.session.subscribe(subscriptions, properties, c.now())
      c.pending.addResubscribe(
        token,
        subscriptions.map((s) => s.topic),
        (error) => c.emit('error', error),
      )
    } catch (error) {
      c.emit('error', asMqttError(error))
    }
  }
}

function deliver(c: ClientCore, message: ReceivedMessage): void {
  if (c.options.manualAck && message.qos > 0) {
    ;(message as Message).ack = (reasonCode?: number) => acknowledge(c, message, reasonCode)
  }
  c.router.deliver(message)
}

/** A CONNACK in `events` says the server kept no session for us. */
function sessionLost(events: SessionEvent[]): boolean {
  for (const event of events) if (event.type === 'connected' && !event.sessionPresent) return true
  return false
}
