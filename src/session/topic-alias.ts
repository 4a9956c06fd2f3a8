// Topic aliases (MQTT 5 section 3.3.2.3.4), one map per direction, both empty at the start of every
// network connection [MQTT-3.3.2-7].
import { TopicAliasError } from './errors.js'

/** Resolves the aliases the server sends, within the Topic Alias Maximum we sent in CONNECT. */
export class IncomingTopicAliases {
  private topics: Map<number, string> | undefined // made on first use
  private maximum = 0

  /** A new connection with our CONNECT's Topic Alias Maximum (0: we accept none). */
  reset(maximum: number): void {
    this.topics?.clear()
    this.maximum = maximum
  }

  /** The topic of an incoming PUBLISH; throws TopicAliasError for an alias 0, above our maximum, or unknown. */
  resolve(topic: string, alias: number | undefined): string {
    if (alias === undefined) return topic
    // [MQTT-3.3.2-10]: we accept 1..our maximum; anything else is "Topic Alias invalid" (0x94).
    if (alias === 0 || alias > this.maximum) {
      throw new TopicAliasError(`topic alias ${alias} outside 1..${this.maximum}`)
    }
    if (topic.length > 0) {
      this.topics ??= new Map()
      this.topics.set(alias, topic)
      return topic
    }
    const known = this.topics?.get(alias)
    if (known === undefined) throw new TopicAliasError(`topic alias ${alias} was never defined on this connection`)
    return known
  }
}

/** What to put in an outgoing PUBLISH: the topic (possibly empty) and the alias (if any). */
export interface AliasedTopic {
  topic: string
  alias?: number
}

/** Assigns aliases to outgoing topics within the server's Topic Alias Maximum, least recently used replaced. */
export class OutgoingTopicAliases {
  // Insertion order is use order: the first entry is the least recently used. Made on first use.
  private aliasByTopic: Map<string, number> | undefined
  private free: number[] | undefined // aliases given back, made when the first one is
  private nextFresh = 1
  private maximum = 0

  get limit(): number {
    return this.maximum
  }

  /** A new connection with the CONNACK's Topic Alias Maximum (absent = 0: no aliases [MQTT-3.2.2-18]). */
  reset(maximum: number): void {
    this.aliasByTopic = undefined
    this.free = undefined
    this.nextFresh = 1
    this.maximum = maximum
  }

  /**
   * Automatic aliasing: the first use sends topic + alias, later uses an empty topic + alias. Aliases stay
   * within 1..the server's maximum [MQTT-3.2.2-17] [MQTT-3.3.2-8] [MQTT-3.3.2-9].
   */
  assign(topic: string): AliasedTopic {
    if (this.maximum === 0) return { topic }
    const known = this.table.get(topic)
    if (known !== undefined) {
      this.table.delete(topic)
      this.table.set(topic, known)
      return { topic: '', alias: known }
    }
    const alias = this.free?.pop() ?? (this.nextFresh <= this.maximum ? this.nextFresh++ : this.evictOldest())
    this.table.set(topic, alias)
    return { topic, alias }
  }

  /** The PUBLISH that would have defined `topic`'s alias was not sent: the server does not know it. */
  forget(topic: string): void {
    const alias = this.table.get(topic)
    if (alias === undefined) return
    this.table.delete(topic)
    this.free ??= []
    this.free.push(alias)
  }

  /** A user-given alias (validated against the maximum) was sent with `topic`: the server now maps it so. */
  define(topic: string, alias: number): void {
    for (const [t, a] of this.table) if (a === alias) this.table.delete(t)
    this.table.delete(topic)
    this.table.set(topic, alias)
    this.free = this.free?.filter((a) => a !== alias) ?? []
    if (alias >= this.nextFresh) {
      for (let a = this.nextFresh; a < alias; a++) this.free.push(a)
      this.nextFresh = alias + 1
    }
  }

  /** The topic a user-given alias stands for on this connection, if defined. */
  topicOf(alias: number): string | undefined {
    for (const [t, a] of this.table) if (a === alias) return t
    return undefined
  }

  private get table(): Map<string, number> {
    this.aliasByTopic ??= new Map()
    return this.aliasByTopic
  }

  private evictOldest(): number {
    const [oldest, alias] = this.table.entries().next().value as [string, number]
    this.table.delete(oldest)
    return alias
  }
}
