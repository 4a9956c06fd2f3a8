// What every subcommand shares: exit statuses, and turning an error into a message and a status.
import { MqttError } from '../packet/errors.js'
import { UsageError } from './args.js'

/** Exit statuses (documented in docs/cli.md). */
export const EXIT = {
  OK: 0,
  /** Usage errors and failures that are not refusals, as mosquitto_pub / mosquitto_sub. */
  ERROR: 1,
  /** The broker refused the connection (MQTT_ERR_CONN_REFUSED). */
  REFUSED: 5,
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
    return EXIT.REFUSED
  }
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`)
  return EXIT.ERROR
}
