// Admission of a message that has to wait behind the window or for a connection: maxQueued / maxQueuedBytes
// and the overflow policy (refuse it, fail it, or drop older never-sent messages to make room).
import type { OutgoingMessage } from './api.js'
import { packetIdOf, type SessionCore } from './core.js'
import { SessionError } from './errors.js'
import { sizeOf } from './outgoing.js'

/** Applies maxQueued / maxQueuedBytes to a message about to be queued: throws, or drops older ones. */
export function makeRoom(s: SessionCore, message: OutgoingMessage): void {
  const maxCount = s.options.maxQueued ?? 0
  const maxBytes = s.options.maxQueuedBytes ?? 0
  if (maxCount <= 0 && maxBytes <= 0) return
  const size = sizeOf(message)
  const full = () =>
    (maxCount > 0 && s.outgoing.queuedCount >= maxCount) || (maxBytes > 0 && s.outgoing.queuedBytes + size > maxBytes)
  if (!full()) return
  const policy = s.options.queueOverflow ?? 'reject'
  const limit = `the queue is full (${s.outgoing.queuedCount} messages, ${s.outgoing.queuedBytes} bytes)`
  if (policy === 'drop-oldest') {
    while (full()) {
      const dropped = s.outgoing.dropOldest()
      if (!dropped) break
      s.counters.dropped++
      const error = new SessionError('ERR_DROPPED', 'dropped from the full queue for a newer message')
      s.emit({ type: 'publish-failed', token: dropped.token, ...packetIdOf(dropped), error })
    }
    if (!full()) return
  }
  if (policy === 'reject') throw new SessionError('ERR_QUEUE_FULL', limit)
  s.counters.dropped++
  throw new SessionError('ERR_DROPPED', limit)
}
