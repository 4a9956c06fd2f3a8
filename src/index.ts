// The public API of petrel-mqtt. Nothing else is public.
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
