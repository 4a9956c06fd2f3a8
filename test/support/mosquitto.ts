// Starts private Mosquitto instances for tests: free ports on 127.0.0.1, a generated config in a temp
// dir, optional password file, ACL, TLS listener and persistence, everything logged to a file. Every
// instance is tracked and killed when the test process exits, even if a test forgot to stop it.
// Written against Mosquitto 2.0 (Debian's 2.0.11: no websockets listener).
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { testCertificates } from './certs.js'
import { makeTempDir } from './tmp.js'

const READY_TIMEOUT_MS = 10_000
const STOP_TIMEOUT_MS = 5_000

function findExecutable(name: string, extraDirs: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter((dir) => dir !== '')
  for (const dir of dirs) {
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}

/**
 * The path of the mosquitto binary (PATH, then /usr/sbin, /usr/local/sbin), or undefined. The environment
 * variable PETREL_MOSQUITTO overrides the search: a path to use, or 'none' to run as if it were missing.
 */
export function mosquittoAvailable(): string | undefined {
  const override = process.env.PETREL_MOSQUITTO
  if (override === 'none') return undefined
  if (override !== undefined && override !== '') return override
  return findExecutable('mosquitto', ['/usr/sbin', '/usr/local/sbin'])
}

export interface MosquittoTlsOptions {
  /** PEM file paths; default: the shared test certificates (test/support/certs.ts). */
  cafile?: string
  certfile?: string
  keyfile?: string
  /** Clients must present a certificate signed by cafile. */
  requireCertificate?: boolean
  /** With requireCertificate: the certificate's CN becomes the username. */
  useIdentityAsUsername?: boolean
}

export interface MosquittoOptions {
  /** Entries of a password file (username → password). */
  users?: Record<string, string>
  /** Default true. */
  allowAnonymous?: boolean
  /** The text of an ACL file (Mosquitto acl_file syntax). */
  acl?: string
  /** Adds a TLS listener on a second free port. */
  tls?: MosquittoTlsOptions
  /**
   * Keep sessions and retained messages on disk, a snapshot saved after every change. Default false. A kill -9
   * still loses what changed since the last save, acknowledged messages included (docs/resilience.md).
   */
  persistence?: boolean
  /** Extra config lines, appended as given. */
  config?: string[]
}

export interface RunningMosquitto {
  readonly port: number
  readonly tlsPort?: number
  /** mqtt://127.0.0.1:port */
  readonly url: string
  /** mqtts://localhost:tlsPort (the server certificate names localhost and 127.0.0.1). */
  readonly tlsUrl?: string
  /** The temp dir with the config, password file, log and persistence file. */
  readonly dir: string
  /** Everything Mosquitto logged so far (log file, then stderr), across restarts. */
  log(): string
  /** Stops (if running) and starts again: same ports, same config, same persistence. */
  restart(): Promise<void>
  /** Sends a signal (e.g. 'SIGKILL' for crash tests) and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>
  /** SIGTERM (SIGKILL after 5 s) and wait for the exit. Idempotent. */
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
const instances = new Set<RunningMosquitto>()

function killAll(): void {
  for (const child of running) child.kill('SIGKILL')
}
process.once('exit', killAll)
// A signal ends the process without 'exit': kill the brokers, then let the signal do what it would have.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll()
    process.kill(process.pid, signal)
  })
}

/** A port that was free a moment ago: listen on port 0, note the port, close. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** One password-file line in Mosquitto 2.0's format: $7$ = PBKDF2-HMAC-SHA512, 101 iterations, 12-byte salt. */
export function mosquittoPasswordLine(username: string, password: string, salt: Buffer = randomBytes(12)): string {
  const hash = pbkdf2Sync(password, salt, 101, 64, 'sha512')
  return `${username}:$7$101$${salt.toString('base64')}$${hash.toString('base64')}`
}

async function writePasswordFile(path: string, users: Record<string, string>): Promise<void> {
  const tool = findExecutable('mosquitto_passwd', ['/usr/bin', '/usr/local/bin'])
  const entries = Object.entries(users)
  if (tool === undefined) {
    writeFileSync(path, entries.map(([user, password]) => `${mosquittoPasswordLine(user, password)}\n`).join(''))
    return
  }
  writeFileSync(path, '')
  for (const [user, password] of entries) await promisify(execFile)(tool, ['-b', path, user, password])
}

async function writeConfig(dir: string, ports: { port: number; tlsPort?: number }, options: MosquittoOptions) {
  const lines = [
    `listener ${ports.port} 127.0.0.1`,
    `allow_anonymous ${options.allowAnonymous ?? true}`,
    `log_dest file ${join(dir, 'mosquitto.log')}`,
    'log_type all',
    'connection_messages true',
  ]
  // As root, Mosquitto would switch to the 'mosquitto' user, who cannot write to our temp dir.
  if (process.getuid?.() === 0) lines.push('user root')
  if (options.users !== undefined) {
    await writePasswordFile(join(dir, 'passwd'), options.users)
    lines.push(`password_file ${join(dir, 'passwd')}`)
  }
  if (options.acl !== undefined) {
    writeFileSync(join(dir, 'acl'), options.acl)
    lines.push(`acl_file ${join(dir, 'acl')}`)
  }
  if (options.persistence === true) {
    // A snapshot after every change: the least a SIGKILL can lose, but not nothing — Mosquitto sends its acks
    // before the save that records them (docs/resilience.md, "Broker crashes").
    lines.push('persistence true', `persistence_location ${dir}/`, 'autosave_on_changes true', 'autosave_interval 1')
  } else {
    lines.push('persistence false')
  }
  if (options.tls !== undefined && ports.tlsPort !== undefined) {
    const certs = await testCertificates()
    const tls = options.tls
    lines.push(
      `listener ${ports.tlsPort} 127.0.0.1`,
      `cafile ${tls.cafile ?? certs.ca.path}`,
      `certfile ${tls.certfile ?? certs.serverCert.path}`,
      `keyfile ${tls.keyfile ?? certs.serverKey.path}`,
      `require_certificate ${tls.requireCertificate ?? false}`,
    )
    if (tls.useIdentityAsUsername === true) lines.push('use_identity_as_username true')
  }
  lines.push(...(options.config ?? []))
  const path = join(dir, 'mosquitto.conf')
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return once(child, 'exit').then(() => undefined)
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<RunningMosquitto> {
  const binary = mosquittoAvailable()
  if (binary === undefined) throw new Error('mosquitto is not installed (apt-get install mosquitto)')
  const dir = makeTempDir('mosquitto')
  const port = await freePort()
  const tlsPort = options.tls === undefined ? undefined : await freePort()
  const configPath = await writeConfig(dir, { port, tlsPort }, options)
  const logPath = join(dir, 'mosquitto.log')
  const stderrPath = join(dir, 'stderr.log')
  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '')
  const log = () => read(logPath) + read(stderrPath)
  let child: ChildProcess | undefined

  const launch = async () => {
    const logStart = read(logPath).length
    const stderr = openSync(stderrPath, 'a')
    const proc = spawn(binary, ['-c', configPath], { stdio: ['ignore', 'ignore', stderr] })
    closeSync(stderr)
    // The test process must be able to exit on its own; the exit handler kills what is left.
    proc.unref()
    running.add(proc)
    proc.once('exit', () => running.delete(proc))
    child = proc
    const deadline = Date.now() + READY_TIMEOUT_MS
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`mosquitto exited during startup (${proc.exitCode ?? proc.signalCode}):\n${log()}`)
      }
      const started = read(logPath).slice(logStart).includes(' running')
      if (started && (await accepts(port)) && (tlsPort === undefined || (await accepts(tlsPort)))) return
      if (Date.now() > deadline) {
        await kill('SIGKILL')
        throw new Error(`mosquitto did not accept connections on ${port} within ${READY_TIMEOUT_MS} ms:\n${log()}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const current = child
    if (current === undefined) return
    const gone = exited(current)
    // The child is unref'd; while we wait for its exit it must hold the event loop open.
    current.ref()
    current.kill(signal)
    await gone
    child = undefined
  }

  const stop = async () => {
    const current = child
    if (current === undefined) return
    const timer = setTimeout(() => current.kill('SIGKILL'), STOP_TIMEOUT_MS)
    try {
      await kill('SIGTERM')
    } finally {
      clearTimeout(timer)
    }
  }

  const instance: RunningMosquitto = {
    port,
    tlsPort,
    url: `mqtt://127.0.0.1:${port}`,
    tlsUrl: tlsPort === undefined ? undefined : `mqtts://localhost:${tlsPort}`,
    dir,
    log,
    async restart() {
      await stop()
      await launch()
    },
    kill,
    async stop() {
      await stop()
      instances.delete(instance)
    },
  }
  instances.add(instance)
  try {
    await launch()
  } catch (error) {
    instances.delete(instance)
    throw error
  }
  return instance
}

/** Stops every instance this process started and has not stopped yet. */
export async function stopAllMosquittos(): Promise<void> {
  await Promise.all([...instances].map((instance) => instance.stop()))
}
