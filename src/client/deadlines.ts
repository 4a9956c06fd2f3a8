// What the client's one alarm does when it rings: destroy transports that outlived their close grace, end
// an attempt past its connect timeout (or its disconnect grace), start the reconnect that is due, and let
// the session act on its own deadlines (keepalive, response timeout).
import { closeAttempt, startAttempt } from './attempts.js'
import { deferTask } from './connection.js'
import type { ClientCore } from './core.js'
import { ConnectTimeoutError } from './errors.js'
import { pump } from './pump.js'

/**
 * Deadlines are judged after the I/O already waiting has been read: when the event loop was stalled, the
 * timer fires before the socket's bytes are processed, and a PINGRESP sitting in the buffer must not
 * count as missing.
 */
export function alarmRang(c: ClientCore): void {
  if (c.alarmPending) return
  c.alarmPending = true
  deferTask(() => {
    c.alarmPending = false
    if (c.state !== 'closed') onAlarm(c)
  })
}

function onAlarm(c: ClientCore): void {
  const now = c.now()
  for (const entry of c.closing) if (entry.deadline <= now) entry.transport.destroy()
  const attempt = c.attempt
  if (attempt?.deadline !== undefined && attempt.deadline <= now) {
    if (c.state === 'disconnecting') closeAttempt(c, attempt, undefined, false)
    else closeAttempt(c, attempt, new ConnectTimeoutError(c.connectTimeout), false)
  }
  if (c.reconnectAt !== undefined && c.reconnectAt <= now) startAttempt(c)
  const deadline = c.session.nextDeadline()
  if (deadline !== undefined && deadline <= now) c.session.tick(now)
  pump(c)
}
