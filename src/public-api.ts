// The platform-neutral public API: what both entries export, src/index.ts (Node) and src/browser.ts (the
// browser bundle). Nothing here may reach a node:* module. Paho's text helpers (connackString, errorString,
// MQTT_ERR) are not here: they serve the Paho facade, which needs Node.
export {
  Client,
  type ClientSession,
  type DisconnectOptions,
  type PublishOptions,
  type SubscribeOptions,
} from './client/client.js'
export { connect, createClient } from './client/create.js'
export type { Listener } from './client/emitter.js'
export { ClientClosedError, ClientStateError, ConnectTimeoutError, InvalidArgumentError } from './client/errors.js'
export type { Logger, LogMethod } from './client/logger.js'
export type { MessageIterator, MessagesOptions, OverflowPolicy } from './client/message-iterator.js'
export type { MessageHandler } from './client/message-router.js'
export type { ClientOptions, ReconnectOptions, WillOptions } from './client/options.js'
export type { Payload } from './client/payload.js'
export type { PublishHandle, PublishResult } from './client/publish-handle.js'
export type { SubscribeRequestInput, SubscriptionRequest } from './client/requests.js'
export type { ServerOptions } from './client/servers.js'
export type * from './client/types.js'
export { Decoder, type DecoderOptions } from './packet/decode.js'
export { type EncodeOptions, encode } from './packet/encode.js'
export * from './packet/errors.js'
export {
  isFailure,
  isValidReasonCode,
  ReasonCode,
  type ReasonCodeConstants,
  type ReasonCodePacketType,
  reasonCodeName,
  VALID_REASON_CODES,
} from './packet/reason-codes.js'
export { topicMatches, validateTopicFilter, validateTopicName } from './packet/topic.js'
export * from './packet/types.js'
export type {
  Authenticator,
  OutgoingMessage,
  QueueOverflow,
  ReceivedMessage,
  SessionEvent,
  SessionState,
  SessionStats,
} from './session/api.js'
export {
  ConnectError,
  PublishError,
  SessionError,
  type SessionErrorCode,
  TopicAliasError,
} from './session/errors.js'
export type {
  OutgoingState,
  PersistedSession,
  SessionStore,
  StoredOutgoing,
  StoredSubscription,
} from './session/store.js'
export { TransportError, type TransportErrorCode } from './transport/errors.js'
export type { Transport, TransportConnector, TransportHandlers } from './transport/types.js'
export type { WebSocketHeaders, WebSocketOptions } from './transport/websocket-options.js'
