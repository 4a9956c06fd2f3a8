// The default in-flight window: MQTT 5 takes the server's Receive Maximum; MQTT 3.1 / 3.1.1 servers announce
// no limit, so the default is 20 (Paho's), under Mosquitto's max_inflight_messages; an explicit maxInflight wins.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Decoder } from '../../src/packet/decode.js'
import type { ProtocolVersion } from '../../src/packet/types.js'
import type { SessionOptions } from '../../src/session/api.js'
import { Peer, utf8 } from './peer.js'

/** Connects, publishes `count` QoS 1 messages and returns how many PUBLISH packets went out before any ack. */
function publishesWritten(options: Partial<SessionOptions>, count: number, receiveMaximum?: number): number {
  const peer = new Peer(options)
  peer.connect({}, receiveMaximum === undefined ? undefined : { receiveMaximum })
  for (let i = 0; i < count; i++)
    peer.session.publish({ topic: 't', payload: utf8('m'), qos: 1, retain: false }, peer.now)
  const decoder = new Decoder({ protocolVersion: peer.version as ProtocolVersion })
  const packets = peer.session.takeOutgoing().flatMap((chunk) => decoder.push(chunk))
  assert.ok(packets.every((packet) => packet.type === 'publish'))
  return packets.length
}

describe('default maxInflight', () => {
  test('3.1.1: 20 of 25 queued QoS 1 messages go out', () => {
    assert.equal(publishesWritten({ protocolVersion: 4 }, 25), 20)
  })

  test('3.1: 20 of 25 queued QoS 1 messages go out', () => {
    assert.equal(publishesWritten({ protocolVersion: 3 }, 25), 20)
  })

  test('3.1.1 with an explicit maxInflight of 100: all 25 go out', () => {
    assert.equal(publishesWritten({ protocolVersion: 4, maxInflight: 100 }, 25), 25)
  })

  test('MQTT 5 without Receive Maximum: all 25 go out', () => {
    assert.equal(publishesWritten({ protocolVersion: 5 }, 25), 25)
  })

  test('MQTT 5: the server Receive Maximum bounds the window', () => {
    assert.equal(publishesWritten({ protocolVersion: 5 }, 25, 10), 10)
  })

  test('MQTT 5: the server Receive Maximum bounds an explicit maxInflight too', () => {
    assert.equal(publishesWritten({ protocolVersion: 5, maxInflight: 100 }, 25, 10), 10)
  })
})
