// Paho 2's ReasonCode object and the flags objects handed to callbacks.
import { reasonCodeName } from '../packet/reason-codes.js'
import type { PacketType } from '../packet/types.js'

/**
 * A reason code as Paho 2 hands it to callbacks: `value`, `getName()`, `isFailure`. It converts to its number
 * wherever JavaScript converts objects (`rc == 0`, `rc > 0x80`, `Number(rc)`, template strings give the
 * name); strict equality (`rc === 0`) compares identities in JavaScript, so use `rc.value === 0` or
 * `rc.equals(0)` there.
 */
export class ReasonCode {
  readonly packetType: PacketType
  readonly value: number

  constructor(packetType: PacketType, value: number) {
    this.packetType = packetType
    this.value = value
  }

  /** The spec's name for this code in this packet type, e.g. 'Success', 'Not authorized'. */
  getName(): string {
    return reasonCodeName(this.value, this.packetType)
  }

  /** Codes 0x80 and above report failure. */
  get isFailure(): boolean {
    return this.value >= 0x80
  }

  /** Compares with a number, a name, or another ReasonCode. */
  equals(other: number | string | ReasonCode): boolean {
    if (typeof other === 'number') return this.value === other
    if (typeof other === 'string') return this.getName() === other
    return this.value === other.value
  }

  valueOf(): number {
    return this.value
  }

  toString(): string {
    return this.getName()
  }

  [Symbol.toPrimitive](hint: string): number | string {
    return hint === 'string' ? this.getName() : this.value
  }
}

/** Paho 2's ConnectFlags. */
export interface ConnectFlags {
  sessionPresent: boolean
}

/** Paho 2's DisconnectFlags. */
export interface DisconnectFlags {
  /** true when the server sent a DISCONNECT packet; false for a lost connection or our own disconnect(). */
  isDisconnectPacketFromServer: boolean
}
