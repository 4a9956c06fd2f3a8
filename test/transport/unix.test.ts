import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { unixConnector } from '../../src/transport/unix-node.js'
import { makeTempDir } from '../support/tmp.js'
import { recorder, settle, TestServer } from './harness.js'

describe('unixConnector', () => {
  test('echoes bytes over a unix socket and closes once', async () => {
    const path = join(makeTempDir('unix'), 'broker.sock')
    const server = await new TestServer(createServer(), { echo: true }).listen(path)
    const rec = recorder()
    const transport = await unixConnector({ path })(rec)
    assert.equal(transport.remoteAddress, path)
    transport.write(new Uint8Array([0x10, 0x00]))
    assert.deepEqual([...(await rec.received(2))], [0x10, 0x00])
    transport.end()
    assert.equal(await rec.closed, undefined)
    await settle()
    assert.equal(rec.closes.length, 1)
    await server.close()
  })

  test('a missing socket file rejects with ERR_CONNECT', async () => {
    const path = join(makeTempDir('unix'), 'nobody-listens.sock')
    await assert.rejects(unixConnector({ path })(recorder()), { code: 'ERR_CONNECT' })
  })
})
