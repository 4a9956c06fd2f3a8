// The embedded broker as a describe block uses it: started before the block's tests, closed after them.
import { after, before } from 'node:test'
import { type EmbeddedBroker, startBroker } from '../../src/broker/index.js'

export interface EmbeddedBrokerFixture {
  /** The running broker (set once the block's `before` has run). */
  broker: EmbeddedBroker
  /** Its address as the one-shot helpers take it. */
  where: { hostname: string; port: number }
  /** Resolves when some client of the broker subscribes to `filter` (register before the subscriber starts). */
  subscribed(filter: string): Promise<void>
}

/** Call inside a describe block: one embedded broker for the block's tests. */
export function useEmbeddedBroker(): EmbeddedBrokerFixture {
  const fixture = {
    subscribed(filter: string): Promise<void> {
      return new Promise((resolve) => {
        const listener = (subscriptions: Array<{ topic: string }>) => {
          if (subscriptions.some((s) => s.topic === filter)) resolve()
        }
        fixture.broker.aedes.on('subscribe', listener as never)
      })
    },
  } as EmbeddedBrokerFixture
  before(async () => {
    fixture.broker = await startBroker({ port: 0 })
    fixture.where = { hostname: '127.0.0.1', port: fixture.broker.port }
  })
  after(() => fixture.broker.close())
  return fixture
}
