// The way out: a graceful disconnect (DISCONNECT, flush, wait for the close) and the final shutdown that
// releases everything and fails whatever is still pending with 'ERR_CLOSED'.
import type { MqttError } from '../packet/errors.js'
import type { DisconnectOptions } from './client.js'
import { CLOSE_GRACE_MS, type ClientCore } from './core.js'
import { asMqttError, ClientClosedError } from './errors.js'
import { pump } from './pump.js'

/** Sends DISCONNECT when connected (else shuts down at once); resolves once the client is closed. */
export function disconnect(c: ClientCore, options: DisconnectOptions): Promise<void> {
  if (c.state === 'closed') return Promise.resolve()
  const done = new Promise<void>((resolve) => c.disconnectWaiters.push(resolve))
  if (c.state === 'disconnecting') return done
  const attempt = c.attempt
  if (c.state !== 'connected' || attempt === undefined) {
    shutdown(c, undefined)
    return done
  }
  const properties =
    options.sessionExpiryInterval === undefined
      ? options.properties
      : { ...options.properties, sessionExpiryInterval: options.sessionExpiryInterval }
  const reasonCode = options.reasonCode ?? 0
  try {
    c.session.disconnect(c.now(), { reasonCode, properties })
  } catch (error) {
    c.disconnectWaiters.pop()
    return Promise.reject(asMqttError(error))
  }
  c.state = 'disconnecting'
  attempt.deadline = c.now() + CLOSE_GRACE_MS
  c.emit('disconnect', { reasonCode, fromServer: false, properties })
  pump(c)
  finishDisconnect(c)
  return done
}

/** Disconnecting, and the last connection has closed: done. */
export function finishDisconnect(c: ClientCore): void {
  if (c.state === 'disconnecting' && c.attempt === undefined && c.closing.length === 0) shutdown(c, undefined)
}

/** Releases everything at once: the connection is destroyed, every pending promise rejects with 'ERR_CLOSED'. */
export function shutdown(c: ClientCore, error: MqttError | undefined): void {
  if (c.state === 'closed') return
  c.state = 'closed'
  c.reconnectAt = undefined
  const attempt = c.attempt
  c.attempt = undefined
  if (attempt !== undefined) {
    attempt.abort()
    attempt.transport?.destroy()
    if (attempt.opened) c.session.connectionLost(c.now(), error)
  }
  for (const entry of c.closing) entry.transport.destroy()
  c.closing = []
  c.alarm.clear()
  const waiters = c.connectWaiters
  c.connectWaiters = []
  // The error (and its stack trace) is built only when something pending will be told: a plain disconnect
  // of an idle client has nothing to fail.
  const stats = c.session.stats()
  const told = !c.pending.isEmpty || stats.queued > 0 || stats.inflight > 0 || waiters.length > 0
  const message = error === undefined ? 'the client is closed' : error.message
  const closed = told ? new ClientClosedError(message, { cause: error }) : undefined
  if (closed !== undefined) c.session.abandon(closed)
  pump(c)
  if (closed !== undefined) c.pending.failAll(closed)
  c.settleDrained()
  for (const waiter of waiters) waiter.reject(error ?? (closed as ClientClosedError))
  c.router.endIterators()
  c.log('info', 'closed')
  c.emit('close', { error })
  const disconnectWaiters = c.disconnectWaiters
  c.disconnectWaiters = []
  for (const resolve of disconnectWaiters) resolve()
}
