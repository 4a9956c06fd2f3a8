// What every subcommand shares: exit statuses, and turning an error into a message and a status.
import { MqttError } from '../packet/errors.js'
import type { ConnectError } from '../session/errors.js'
import { UsageError } from './args.js'

/** Exit statuses (documented in docs/cli.md). */
export const EXIT = {
  OK: 0,
  /** Usage errors and failures that are not refusals, as mosquitto_pub / mosquitto_sub. */
  ERROR: 1,
  /** sub -W: no message in time (ETIMEDOUT, as mosquitto_sub). */
  TIMEOUT: 27,
} as const

/** Prints `error` the way mosquitto's tools do and returns the exit status. */
export function reportError(error: unknown, usage: string): number {
  if (error instanceof UsageError) {
    console.error(`Error: ${error.message}\n${usage}`)
    return EXIT.ERROR
  }
  if (error instanceof MqttError && error.code === 'ERR_CONNECT_REFUSED') {
    console.error(`Connection error: ${error.message}`)
    // As mosquitto_pub / mosquitto_sub: the CONNACK's code (3.1 / 3.1.1 return code 1..5, MQTT 5 reason code).
    return (error as ConnectError).returnCode ?? error.reasonCode ?? EXIT.ERROR
  }
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`)
  return EXIT.ERROR
}
