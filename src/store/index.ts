// petrel-mqtt/store: durable session stores (Node only: they use node:fs).
export { StoreError, type StoreErrorCode } from './errors.js'
export {
  createFileStore,
  type FileSessionStore,
  type FileStoreOptions,
  type FileStoreStats,
  type FsyncPolicy,
} from './file-node.js'
