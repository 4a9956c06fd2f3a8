// Decoded packets from the server, routed to the handler of their flow; the packets with no flow of their
// own (PINGRESP, DISCONNECT, AUTH) and undecodable bytes are handled here.
import { MalformedPacketError, MqttError, PacketTooLargeError } from '../packet/errors.js'
import type { AuthPacket, DisconnectPacket, Packet } from '../packet/types.js'
import type { SessionEvent } from './api.js'
import { onConnack } from './connack.js'
import { isLegacyVersionRefusal } from './connect.js'
import type { SessionCore } from './core.js'
import { ConnectError, protocolError, SessionError } from './errors.js'
import { onLastAck, onPubrec } from './publish-acks.js'
import { onPublish, onPubrel } from './publish-received.js'
import { onRequestAck } from './request-acks.js'

export function handlePacket(s: SessionCore, packet: Packet, now: number): void {
  if (s.state === 'connecting' && packet.type !== 'connack' && packet.type !== 'auth') {
    s.fail(protocolError('ERR_UNEXPECTED_PACKET', `${packet.type.toUpperCase()} before CONNACK`), 0x82)
    return
  }
  switch (packet.type) {
    case 'connack':
      onConnack(s, packet, now)
      break
    case 'publish':
      onPublish(s, packet, now)
      break
    case 'puback':
    case 'pubcomp':
      onLastAck(s, packet, now)
      break
    case 'pubrec':
      onPubrec(s, packet, now)
      break
    case 'pubrel':
      onPubrel(s, packet, now)
      break
    case 'suback':
    case 'unsuback':
      onRequestAck(s, packet)
      break
    case 'pingresp': {
      const roundTripMs = s.keepalive.ponged(now)
      if (roundTripMs !== undefined) s.emit({ type: 'pong', roundTripMs })
      break
    }
    case 'disconnect':
      onServerDisconnect(s, packet)
      break
    case 'auth':
      onAuth(s, packet, now)
      break
    default:
      // CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ: only a client sends these.
      s.fail(protocolError('ERR_UNEXPECTED_PACKET', `a server must not send ${packet.type.toUpperCase()}`), 0x82)
  }
}

function onServerDisconnect(s: SessionCore, packet: DisconnectPacket): void {
  const reasonCode = packet.reasonCode ?? 0
  const event: SessionEvent = { type: 'server-disconnect', reasonCode }
  if (packet.properties) event.properties = packet.properties
  s.emit(event)
  s.state = 'disconnecting' // [MQTT-3.14.4-1]: the server closes; we send nothing more
  s.keepalive.stop()
  s.emit({
    type: 'close',
    error: new SessionError('ERR_SERVER_DISCONNECT', `server disconnected: 0x${reasonCode.toString(16)}`, reasonCode),
  })
}

function onAuth(s: SessionCore, packet: AuthPacket, now: number): void {
  const result = s.auth.onServerAuth(packet)
  if (result.error) {
    s.fail(result.error, result.disconnectReason)
    return
  }
  const reasonCode = packet.reasonCode ?? 0
  s.emit(packet.properties ? { type: 'auth', reasonCode, properties: packet.properties } : { type: 'auth', reasonCode })
  if (result.reply) s.write(result.reply, now)
}

/** Bytes that do not decode: a 3.1.1 server refusing our MQTT 5 CONNECT, or a malformed packet. */
export function onDecodeError(s: SessionCore, error: unknown): void {
  const awaitingConnack = s.state === 'connecting'
  if (awaitingConnack && s.version === 5 && isLegacyVersionRefusal(s.firstBytes)) {
    if (!s.pinned) {
      s.fallBack(4)
      return
    }
    const refusal = new ConnectError(0x84, 1)
    s.emit({ type: 'connect-failed', error: refusal, fatal: true })
    s.requestClose(refusal)
    return
  }
  const mqttError =
    error instanceof MqttError ? error : new MalformedPacketError('ERR_TRUNCATED', String(error), { cause: error })
  const reason = mqttError instanceof PacketTooLargeError ? 0x95 : (mqttError.reasonCode ?? 0x81)
  s.fail(mqttError, reason)
}
