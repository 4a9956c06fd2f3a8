// A small argument parser for mosquitto_pub / mosquitto_sub style flags: short and long options, options that
// repeat (-t), and -D which takes two or three values (-D publish user-property key value).
import { MqttError, nameErrorClass } from '../packet/errors.js'

/** A usage error: the command prints it with a hint and exits with status 1, as mosquitto_pub does. */
export class UsageError extends MqttError {
  static {
    nameErrorClass(UsageError, 'UsageError')
  }
  constructor(message: string) {
    super('ERR_USAGE', message)
  }
}

export interface FlagSpec {
  /** The key in the result. */
  name: string
  /** 'flag': no value. 'value': one value. 'list': one value, may repeat. 'property': -D's two or three values. */
  kind: 'flag' | 'value' | 'list' | 'property'
}

export interface ParsedArgs {
  flags: Set<string>
  values: Map<string, string>
  lists: Map<string, string[]>
  /** -D entries: [command, property, value] or [command, 'user-property', key, value]. */
  properties: string[][]
  positionals: string[]
}

export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const result: ParsedArgs = { flags: new Set(), values: new Map(), lists: new Map(), properties: [], positionals: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined]
    const spec = specs[flag]
    if (spec === undefined) {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`)
      result.positionals.push(arg)
      continue
    }
    const take = (): string => {
      if (inline !== undefined) return inline
      const value = argv[++i]
      if (value === undefined) throw new UsageError(`option '${flag}' needs a value`)
      return value
    }
    switch (spec.kind) {
      case 'flag':
        result.flags.add(spec.name)
        break
      case 'value':
        result.values.set(spec.name, take())
        break
      case 'list':
        result.lists.set(spec.name, [...(result.lists.get(spec.name) ?? []), take()])
        break
      case 'property': {
        const command = take()
        const property = take()
        const entry = [command, property, take()]
        if (property === 'user-property') entry.push(take())
        result.properties.push(entry)
        break
      }
    }
  }
  return result
}

/** An integer option within [min, max], or the default. */
export function intOption(
  args: ParsedArgs,
  name: string,
  flag: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = args.values.get(name)
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} takes an integer from ${min} to ${max}, not '${text}'`)
  }
  return value
}
