// Serves a test page and the browser bundle on loopback, and finds the Chromium the browser tests drive.

import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { resolve } from 'node:path'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_AVAILABLE = existsSync(CHROMIUM)
export const SKIP_CHROMIUM = 'SKIPPED: chromium not installed'
export const BUNDLE = resolve(import.meta.dirname, '../../dist/browser/petrel.min.js')

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The bundle's text; fails with what to run when `npm run build` has not produced it. */
export function readBundle(): string {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build (or npm run build:browser) first`)
  return readFileSync(BUNDLE, 'utf8')
}

export interface PageServer {
  readonly url: string
  close(): Promise<void>
}

/** GET / → an empty HTML page; GET /petrel.min.js → the bundle. */
export async function servePage(): Promise<PageServer> {
  const bundle = readBundle()
  const server: Server = createServer((request, response) => {
    if (request.url === '/petrel.min.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle)
    } else if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>petrel</title>')
    } else response.writeHead(404).end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.closeAllConnections()
      await new Promise((done) => server.close(done))
    },
  }
}
