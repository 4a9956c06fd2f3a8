// Connection attempts, wired to the session: open the transport, feed its bytes to the session, end the
// attempt (gracefully or not) and hand the outcome to the reconnect policy. The client keeps at most one
// current attempt (`c.attempt`); callbacks from an older one are ignored.
import type { MqttError } from '../packet/errors.js'
import { ConnectionAttempt } from './connection.js'
import { CLOSE_GRACE_MS, type ClientCore } from './core.js'
import { asMqttError } from './errors.js'
import { pump } from './pump.js'
import { nextStep } from './reconnect-policy.js'
import { finishDisconnect, shutdown } from './shutdown.js'

export function startAttempt(c: ClientCore): void {
  c.reconnectAt = undefined
  c.state = 'connecting'
  const attempt = new ConnectionAttempt(c.now() + c.connectTimeout)
  c.attempt = attempt
  c.log('debug', 'opening the transport')
  attempt
    .open(c.connector, {
      onData: (chunk) => {
        if (c.attempt !== attempt) return
        c.session.receive(chunk, c.now())
        pump(c)
      },
      onDrain: () => {
        if (c.attempt !== attempt) return
        attempt.writable = true
        c.settleDrained()
        pump(c)
      },
      onClose: (error) => {
        c.closing = c.closing.filter((entry) => entry.transport !== attempt.transport)
        if (c.attempt === attempt) attemptEnded(c, attempt, error && asMqttError(error, 'ERR_CONNECTION_LOST'))
        finishDisconnect(c)
      },
    })
    .then(
      (transport) => {
        if (c.attempt !== attempt) {
          transport.destroy()
          return
        }
        c.log('debug', 'transport open, sending CONNECT', { remoteAddress: transport.remoteAddress })
        c.session.open(c.now())
        pump(c)
      },
      (error: unknown) => {
        if (c.attempt === attempt) attemptEnded(c, attempt, asMqttError(error, 'ERR_CONNECT'))
      },
    )
  c.schedule()
}

/** Ends the current connection — gracefully (flush, FIN) or by destroying it — and moves on at once. */
export function closeAttempt(
  c: ClientCore,
  attempt: ConnectionAttempt,
  error: MqttError | undefined,
  graceful: boolean,
): void {
  if (c.attempt !== attempt || attempt.ended) return
  const transport = attempt.transport
  if (transport !== undefined) {
    if (graceful) {
      attempt.flush()
      c.closing.push({ transport, deadline: c.now() + CLOSE_GRACE_MS })
      transport.end()
    } else transport.destroy(error)
  }
  attemptEnded(c, attempt, error)
}

/** The one place where a connection (or an attempt at one) ends; the reconnect policy decides what is next. */
function attemptEnded(c: ClientCore, attempt: ConnectionAttempt, error: MqttError | undefined): void {
  if (c.attempt !== attempt || attempt.ended) return
  attempt.ended = true
  attempt.abort()
  // Still current while the session reports the loss, so that a 'connect-failed' lands on this attempt.
  if (attempt.opened) {
    c.session.connectionLost(c.now(), error)
    pump(c)
  }
  c.attempt = undefined
  c.settleDrained()
  if (c.state === 'closed' || c.state === 'disconnecting') return
  if (c.state === 'connected') {
    c.log('warn', 'connection lost', { error })
    c.emit('offline', { error })
    c.emit('down', { error })
  }
  const next = nextStep(c, attempt, error)
  if (next === 'reopen') startAttempt(c)
  else if (next !== 'wait') shutdown(c, next.giveUp)
}
