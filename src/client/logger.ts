// The `logger` option: anything console-like ({ debug, info, warn, error }) or pino/bunyan-like (the same
// methods taking (fields, message), recognised by their `child` method). Also feeds the 'log' event.
import type { LogEntry, LogLevel } from './types.js'

export type LogMethod = (...args: unknown[]) => void

/** A console-like or pino-like logger. Missing methods are skipped. */
export interface Logger {
  debug?: LogMethod
  info?: LogMethod
  warn?: LogMethod
  error?: LogMethod
  child?: unknown
}

/** Writes one entry to `logger`, in the argument order the kind of logger expects. */
export function writeLog(logger: Logger | undefined, entry: LogEntry): void {
  const method = logger?.[entry.level as LogLevel]
  if (typeof method !== 'function') return
  const { level: _level, message, ...fields } = entry
  const hasFields = Object.keys(fields).length > 0
  if (typeof logger?.child === 'function') {
    if (hasFields) method.call(logger, fields, message)
    else method.call(logger, message)
  } else if (hasFields) method.call(logger, `[petrel] ${message}`, fields)
  else method.call(logger, `[petrel] ${message}`)
}
