// CONNACK: version fallback, refusal, or acceptance — the server's limits and keepalive take effect, the
// in-flight window is sized, and what was pending from before goes out again in the order the spec requires.
import type { ConnackPacket } from '../packet/types.js'
import { readConnack } from './connect.js'
import { packetIdOf, type SessionCore } from './core.js'
import { protocolError } from './errors.js'
import { inflightWindow } from './outgoing.js'
import { limitsFromConnack } from './server-limits.js'
import { flushAcks, pump, sendRequest } from './transmit.js'

export function onConnack(s: SessionCore, connack: ConnackPacket, now: number): void {
  if (s.state !== 'connecting') {
    s.fail(protocolError('ERR_UNEXPECTED_PACKET', 'a second CONNACK'), 0x82)
    return
  }
  // A v3.1.1 server may answer an MQTT 5 CONNECT with return code 1 (unacceptable protocol version).
  const reasonCode = s.version === 5 && connack.reasonCode === 0x01 ? 0x84 : connack.reasonCode
  const outcome = readConnack({ ...connack, reasonCode }, s.version, s.pinned)
  if (outcome.kind === 'fallback') {
    s.fallBack(outcome.protocolVersion)
    return
  }
  if (outcome.kind === 'refused') {
    s.emit({ type: 'connect-failed', error: outcome.error, connack, fatal: outcome.fatal })
    s.requestClose(outcome.error) // [MQTT-4.13.2-1]
    return
  }
  // [MQTT-3.2.2-4]: after a clean start the server cannot have a session for us.
  if (s.cleanSent && connack.sessionPresent) {
    s.fail(protocolError('ERR_SESSION_PRESENT', 'Session Present = 1 after a clean start'), 0x82)
    return
  }
  s.state = 'connected'
  s.connectedBefore = true
  const properties = connack.properties ?? {}
  if (s.version === 5) {
    if (properties.assignedClientIdentifier !== undefined && s.clientId === '') {
      s.store.setClientId(properties.assignedClientIdentifier)
      s.clientId = properties.assignedClientIdentifier
    }
    s.limits = limitsFromConnack(connack)
  }
  // [MQTT-3.1.2-21] [MQTT-3.2.2-21]: Server Keep Alive replaces ours.
  const keepaliveSeconds = properties.serverKeepAlive ?? s.options.keepalive ?? 60
  s.keepalive.start(
    { keepaliveSeconds, pingIntervalMs: s.options.pingInterval, responseTimeoutMs: s.options.responseTimeout },
    now,
  )
  s.outAliases.reset(s.limits.topicAliasMaximum) // [MQTT-3.3.2-7]
  s.outgoing.window = inflightWindow(s.options.maxInflight, s.version, s.limits.receiveMaximum)
  if (!connack.sessionPresent) s.incoming.sessionLost()
  const { pubrels, completed } = s.outgoing.reconnected(connack.sessionPresent)
  s.emit({ type: 'connected', connack, sessionPresent: connack.sessionPresent })
  for (const record of completed) s.emit({ type: 'publish-done', token: record.token, ...packetIdOf(record) })
  for (const record of pubrels) s.write({ type: 'pubrel', packetId: record.packetId! }, now)
  if (pubrels.length > 0) s.keepalive.expectAnswer(now)
  for (const packetId of s.requests.packetIds()) sendRequest(s, packetId, now)
  pump(s, now)
  flushAcks(s, now)
}
