// What follows an attempt that ended: version fallback and failover reopen at once, a fatal refusal stops
// (for good once connected, back to idle before), otherwise back off and retry — or go idle when
// reconnecting is off. Acting on 'reopen' and 'give up' is the caller's (attempts.ts).
import type { MqttError } from '../packet/errors.js'
import { backoffDelay } from './backoff.js'
import type { ConnectionAttempt } from './connection.js'
import type { ClientCore } from './core.js'
import { ClientStateError } from './errors.js'

/** 'reopen': start an attempt now; 'wait': the alarm or a connect() call starts the next; giveUp: close. */
export type NextStep = 'reopen' | 'wait' | { giveUp: MqttError }

export function nextStep(c: ClientCore, attempt: ConnectionAttempt, error: MqttError | undefined): NextStep {
  if (attempt.fallback) {
    c.log('info', `retrying with protocol version ${c.session.protocolVersion}`)
    return 'reopen'
  }
  const failure = attempt.failure ?? error ?? new ClientStateError('the connection closed')
  const policy = c.reconnect
  if (attempt.fatal && !(policy !== false && policy.onFatal)) {
    if (c.everConnected) {
      c.log('error', 'the server refused to reconnect; giving up', { error: failure })
      c.emit('error', failure)
      return { giveUp: failure }
    }
    toIdle(c, failure)
    return 'wait'
  }
  if (c.failover?.next(c.state === 'connected')) {
    c.log('info', `trying ${c.failover.current.label}`, { error: failure })
    return 'reopen'
  }
  if (policy === false || (!c.everConnected && !policy.initial)) {
    toIdle(c, failure)
    return 'wait'
  }
  c.reconnectCount++
  const delay = backoffDelay(c.reconnectCount, policy, c.random)
  c.reconnectAt = c.now() + delay
  c.state = 'reconnecting'
  c.log('info', `reconnecting in ${delay} ms`, { attempt: c.reconnectCount, error: failure })
  c.emit('reconnecting', { attempt: c.reconnectCount, delay })
  c.schedule()
  return 'wait'
}

/** Not connected and not retrying: pending connect() calls fail; queued operations wait for connect(). */
function toIdle(c: ClientCore, error: MqttError): void {
  c.state = 'idle'
  c.schedule()
  const waiters = c.connectWaiters
  c.connectWaiters = []
  for (const waiter of waiters) waiter.reject(error)
  if (waiters.length === 0) c.emit('error', error)
}
