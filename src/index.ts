// The public API of petrel-mqtt. Nothing else is public.
export * from './packet/errors.js'
export { topicMatches, validateTopicFilter, validateTopicName } from './packet/topic.js'
export * from './packet/types.js'
