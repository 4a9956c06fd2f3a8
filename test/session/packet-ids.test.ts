// Packet id allocation never hands out an id that is still in use [MQTT-2.2.1-3] [MQTT-2.3.1-2].
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { PacketIdAllocator } from '../../src/session/packet-ids.js'

test('[MQTT-2.2.1-3] [3.1.1: MQTT-2.3.1-2] a million allocations with random completions never reuse an id in flight', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 0x7fffffff }), fc.integer({ min: 1, max: 65_535 }), (seed, target) => {
      const ids = new PacketIdAllocator()
      const inFlight = new Uint8Array(65_536)
      const live: number[] = []
      let state = seed
      const random = () => {
        state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0
        return state / 0x1_0000_0000
      }
      for (let i = 0; i < 1_000_000 / 4; i++) {
        // Keep about `target` ids in flight: allocate while below it, otherwise complete a random one.
        if (live.length < target && random() < 0.6) {
          const id = ids.allocate()
          if (id < 1 || id > 65_535 || inFlight[id] === 1) return false
          inFlight[id] = 1
          live.push(id)
        } else if (live.length > 0) {
          const at = Math.floor(random() * live.length)
          const id = live[at]!
          live[at] = live[live.length - 1]!
          live.pop()
          inFlight[id] = 0
          ids.release(id)
        }
      }
      return ids.size === live.length
    }),
    { numRuns: 4 },
  )
})

test('[MQTT-2.2.1-3] [3.1.1: MQTT-2.3.1-2] exhaustion: 65,535 ids then ERR_PACKET_ID_EXHAUSTED; a released id is found again', () => {
  const ids = new PacketIdAllocator()
  for (let i = 1; i <= 65_535; i++) assert.equal(ids.allocate(), i)
  assert.throws(() => ids.allocate(), { code: 'ERR_PACKET_ID_EXHAUSTED' })
  ids.release(40_000)
  assert.equal(ids.allocate(), 40_000)
})
