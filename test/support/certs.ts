// Test certificates made with the openssl command: a CA, a server certificate for localhost / 127.0.0.1 /
// ::1, a client certificate (plain and passphrase-encrypted key), and an unrelated second CA for
// "wrong CA" tests. EC prime256v1 keys keep generation fast (well under a second).
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { makeTempDir } from './tmp.js'

const run = promisify(execFile)

export const CLIENT_KEY_PASSPHRASE = 'petrel-test-passphrase'

export interface CertificateFile {
  path: string
  pem: string
}

export interface TestCertificates {
  dir: string
  ca: CertificateFile
  caKey: CertificateFile
  serverCert: CertificateFile
  serverKey: CertificateFile
  clientCert: CertificateFile
  clientKey: CertificateFile
  /** The client key encrypted with CLIENT_KEY_PASSPHRASE. */
  clientKeyEncrypted: CertificateFile
  /** A CA that signed nothing here. */
  otherCa: CertificateFile
}

const cache = new Map<string, Promise<TestCertificates>>()

/** Generates the set in `dir` (default: a temp dir); one generation per directory per process. */
export function generateCertificates(dir: string = makeTempDir('certs')): Promise<TestCertificates> {
  let pending = cache.get(dir)
  if (pending === undefined) {
    pending = generate(dir)
    cache.set(dir, pending)
  }
  return pending
}

let shared: Promise<TestCertificates> | undefined

/** One set shared by every test in the process. */
export function testCertificates(): Promise<TestCertificates> {
  shared ??= generateCertificates()
  return shared
}

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args)
}

async function makeKey(path: string): Promise<void> {
  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path])
}

async function makeCa(dir: string, name: string): Promise<void> {
  const key = join(dir, `${name}.key`)
  await makeKey(key)
  await openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    key,
    '-sha256',
    '-days',
    '3650',
    '-subj',
    `/CN=Petrel test ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    join(dir, `${name}.crt`),
  ])
}

let serial = Date.now()

/** A leaf certificate signed by ca.crt with the given extensions. */
async function makeLeaf(dir: string, name: string, commonName: string, extensions: string): Promise<void> {
  const key = join(dir, `${name}.key`)
  const csr = join(dir, `${name}.csr`)
  const ext = join(dir, `${name}.ext`)
  await makeKey(key)
  await openssl(['req', '-new', '-key', key, '-subj', `/CN=${commonName}`, '-out', csr])
  writeFileSync(ext, extensions)
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    join(dir, 'ca.crt'),
    '-CAkey',
    join(dir, 'ca.key'),
    // Distinct serials without a shared serial file (the leaves are signed concurrently).
    '-set_serial',
    String(serial++),
    '-days',
    '3650',
    '-sha256',
    '-extfile',
    ext,
    '-out',
    join(dir, `${name}.crt`),
  ])
}

async function generate(dir: string): Promise<TestCertificates> {
  await Promise.all([makeCa(dir, 'ca'), makeCa(dir, 'other-ca')])
  await Promise.all([
    makeLeaf(
      dir,
      'server',
      'localhost',
      'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
    ),
    makeLeaf(dir, 'client', 'petrel-client', 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n'),
  ])
  await openssl([
    'pkcs8',
    '-topk8',
    '-in',
    join(dir, 'client.key'),
    '-v2',
    'aes-256-cbc',
    '-passout',
    `pass:${CLIENT_KEY_PASSPHRASE}`,
    '-out',
    join(dir, 'client-encrypted.key'),
  ])
  const file = (name: string): CertificateFile => {
    const path = join(dir, name)
    return { path, pem: readFileSync(path, 'utf8') }
  }
  return {
    dir,
    ca: file('ca.crt'),
    caKey: file('ca.key'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    clientKeyEncrypted: file('client-encrypted.key'),
    otherCa: file('other-ca.crt'),
  }
}
