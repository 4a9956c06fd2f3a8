// petrel-mqtt/paho: a Paho-compatible facade for porting Paho Python code (names camelCased, callback API
// version 2). See docs/coming-from.md for the name-by-name mapping.
export { connackString, errorString, MQTT_ERR } from '../packet/reason-codes.js'
export { topicMatches as topicMatchesSub } from '../packet/topic.js'
export type { Properties } from '../packet/types.js'
export type { Transport } from '../transport/types.js'
export type { PahoLogger } from './callbacks.js'
export { type CleanStart, Client, type MessageCallback, type PahoClientOptions } from './client.js'
export * from './constants.js'
export { MQTTMessage, MQTTMessageInfo } from './message.js'
export { type ConnectFlags, type DisconnectFlags, ReasonCode } from './reason-code.js'
export type { ConnectTarget } from './settings.js'
export type { QosOrOptions, SubscribeOptions, SubscribeTopic } from './subscribe-args.js'
