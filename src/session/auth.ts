// MQTT 5 enhanced authentication (section 4.12): answers server AUTH challenges through the Authenticator
// and builds re-authentication requests, always with the CONNECT's method [MQTT-4.12.0-5] [MQTT-4.12.1-1].
import type { MqttError } from '../packet/errors.js'
import type { AuthPacket, Properties } from '../packet/types.js'
import type { Authenticator } from './api.js'
import { protocolError, SessionError } from './errors.js'

export type AuthResult = { reply?: AuthPacket; error?: undefined } | { error: MqttError; disconnectReason: number }

export class AuthExchange {
  constructor(private readonly authenticator: Authenticator | undefined) {}

  get enabled(): boolean {
    return this.authenticator !== undefined
  }

  /** A server AUTH: the AUTH to answer with (reason 0x18 [MQTT-4.12.0-3]), nothing, or an error. */
  onServerAuth(packet: AuthPacket): AuthResult {
    const auth = this.authenticator
    // [MQTT-4.12.0-7]: without a method in CONNECT the server must not start an exchange.
    if (!auth)
      return { error: protocolError('ERR_AUTH_METHOD', 'AUTH without enhanced authentication'), disconnectReason: 0x82 }
    const method = packet.properties?.authenticationMethod
    if (method !== auth.method) {
      const error = protocolError('ERR_AUTH_METHOD', `AUTH method ${JSON.stringify(method)} is not ${auth.method}`)
      return { error, disconnectReason: 0x82 }
    }
    const reasonCode = packet.reasonCode ?? 0
    if (reasonCode === 0x00) return {} // re-authentication succeeded
    if (reasonCode !== 0x18) {
      return {
        error: protocolError('ERR_AUTH_METHOD', 'a server may not start re-authentication'),
        disconnectReason: 0x82,
      }
    }
    let data: Uint8Array | undefined
    try {
      data = auth.challenge(packet.properties?.authenticationData, packet.properties ?? {})
    } catch (cause) {
      const error = new SessionError('ERR_AUTH_FAILED', `authenticator refused the challenge: ${String(cause)}`, 0x87)
      return { error, disconnectReason: 0x87 }
    }
    return { reply: this.build(0x18, data, undefined) }
  }

  /** AUTH 0x19 to start re-authentication, or undefined when there is no authenticator. */
  reauthenticate(properties: Properties | undefined): AuthPacket | undefined {
    const auth = this.authenticator
    if (!auth) return undefined
    return this.build(0x19, auth.initialData?.(), properties)
  }

  private build(reasonCode: number, data: Uint8Array | undefined, extra: Properties | undefined): AuthPacket {
    const properties: Properties = { ...extra, authenticationMethod: this.authenticator!.method }
    if (data !== undefined) properties.authenticationData = data
    return { type: 'auth', reasonCode, properties }
  }
}
