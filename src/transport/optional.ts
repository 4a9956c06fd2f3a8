// Optional peer dependencies (ws, aedes, socks) are loaded only when a feature needs them; a missing one
// becomes a TransportError 'ERR_MISSING_DEPENDENCY' that says what to install.
import { TransportError } from './errors.js'

function isModuleNotFound(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code
  const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
  return missing && error instanceof Error && error.message.includes(`'${name}'`)
}

/**
 * Runs `load` (an `import('name')` written at the call site, so bundlers and type checkers see it) and
 * explains a missing package: "install aedes to use the embedded broker: npm install aedes".
 */
export async function loadOptional<T>(name: string, feature: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (error) {
    if (!isModuleNotFound(error, name)) throw error
    throw new TransportError('ERR_MISSING_DEPENDENCY', `install ${name} to use ${feature}: npm install ${name}`, {
      cause: error,
    })
  }
}
