// SUBSCRIBE / UNSUBSCRIBE requests waiting for their SUBACK / UNSUBACK, matched by packet id. A request
// keeps its id until acknowledged; pending ones are sent again on every new connection, because the user
// asked for them (they fail only on abandon()).
import type { Properties, Subscription } from '../packet/types.js'
import type { Token } from './api.js'
import type { PacketIdAllocator } from './packet-ids.js'

export type Request =
  | { kind: 'subscribe'; token: Token; packetId: number; subscriptions: Subscription[]; properties?: Properties }
  | { kind: 'unsubscribe'; token: Token; packetId: number; topics: string[]; properties?: Properties }

type NewRequest =
  | { kind: 'subscribe'; token: Token; subscriptions: Subscription[]; properties: Properties | undefined }
  | { kind: 'unsubscribe'; token: Token; topics: string[]; properties: Properties | undefined }

export class RequestTable {
  private byId: Map<number, Request> | undefined // made on first use

  constructor(private readonly ids: PacketIdAllocator) {}

  add(request: NewRequest): Request {
    const { properties, ...rest } = request
    const stored = { ...rest, packetId: this.ids.allocate() } as Request
    if (properties) stored.properties = properties
    this.byId ??= new Map()
    this.byId.set(stored.packetId, stored)
    return stored
  }

  get size(): number {
    return this.byId?.size ?? 0
  }

  get(packetId: number): Request | undefined {
    return this.byId?.get(packetId)
  }

  /** Pending packet ids in the order the requests were made. */
  packetIds(): number[] {
    return [...(this.byId?.keys() ?? [])]
  }

  remove(packetId: number): void {
    if (this.byId?.delete(packetId)) this.ids.release(packetId)
  }

  takeAll(): Request[] {
    const all = [...(this.byId?.values() ?? [])]
    for (const request of all) this.remove(request.packetId)
    return all
  }
}
