// The public API of petrel-mqtt. Nothing else is public.

// The client
export {
  Client,
  type ClientSession,
  type DisconnectOptions,
  type PublishOptions,
  type SubscribeOptions,
} from './client/client.js'
export { connect, createClient } from './client/create.js'
export {
  ClientClosedError,
  ClientStateError,
  ConnectTimeoutError,
  InvalidArgumentError,
} from './client/errors.js'
export type { Logger } from './client/logger.js'
export type { MessageIterator, MessagesOptions, OverflowPolicy } from './client/message-iterator.js'
export type { MessageHandler } from './client/message-router.js'
export type { ClientOptions, ReconnectOptions, TlsOptions, WillOptions } from './client/options.js'
export type { Payload } from './client/payload.js'
export type { PublishHandle, PublishResult } from './client/publish-handle.js'
export type { SubscribeRequestInput, SubscriptionRequest } from './client/requests.js'
export type * from './client/types.js'
export { Decoder, type DecoderOptions } from './packet/decode.js'
export { type EncodeOptions, encode } from './packet/encode.js'
export * from './packet/errors.js'
export {
  connackString,
  errorString,
  isFailure,
  isValidReasonCode,
  MQTT_ERR,
  ReasonCode,
  type ReasonCodePacketType,
  reasonCodeName,
  VALID_REASON_CODES,
} from './packet/reason-codes.js'
export { topicMatches, validateTopicFilter, validateTopicName } from './packet/topic.js'
export * from './packet/types.js'
export type { QueueOverflow, SessionStats } from './session/api.js'
export { ConnectError, PublishError, SessionError, TopicAliasError } from './session/errors.js'
export type {
  OutgoingState,
  PersistedSession,
  SessionStore,
  StoredOutgoing,
  StoredSubscription,
} from './session/store.js'
// Node only (node:fs), like the TCP / TLS connectors connect() already reaches; also at petrel-mqtt/store.
export * from './store/index.js'
export { TransportError } from './transport/errors.js'
export type { ProxyConfig, ProxyOption, ProxyProtocol } from './transport/proxy-config.js'
export {
  type ResolveSrvOptions,
  resolveSrv,
  type SrvConnectorOptions,
  type SrvRecord,
  type SrvResolver,
  type SrvTarget,
  srvConnector,
} from './transport/srv-node.js'
export type { WebSocketHeaders, WebSocketOptions } from './transport/websocket-options.js'
