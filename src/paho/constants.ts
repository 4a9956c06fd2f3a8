// Paho's module-level constants, with the same values so numbers read from Paho code keep their meaning.
import { MQTT_ERR } from '../packet/reason-codes.js'

export { MQTTv5, MQTTv31, MQTTv311 } from '../helpers/connect-options.js'

/** Paho 2's callback API versions. Petrel implements VERSION2 (reason codes and properties everywhere). */
export const CallbackAPIVersion = { VERSION1: 1, VERSION2: 2 } as const
export type CallbackAPIVersion = (typeof CallbackAPIVersion)[keyof typeof CallbackAPIVersion]

/** MQTT 5 clean_start value: Clean Start on the first successful connection only (Paho's default). */
export const MQTT_CLEAN_START_FIRST_ONLY = 3

/** Levels passed to onLog, as in Paho. */
export const MQTT_LOG_INFO = 0x01
export const MQTT_LOG_NOTICE = 0x02
export const MQTT_LOG_WARNING = 0x04
export const MQTT_LOG_ERR = 0x08
export const MQTT_LOG_DEBUG = 0x10
/** Paho's LogLevel enum. */
export const LogLevel = {
  MQTT_LOG_INFO,
  MQTT_LOG_NOTICE,
  MQTT_LOG_WARNING,
  MQTT_LOG_ERR,
  MQTT_LOG_DEBUG,
} as const
/** MQTT_LOG_* → the numeric level of Python's logging module (DEBUG 10, INFO 20, WARNING 30, ERROR 40). */
export const LOGGING_LEVEL: Readonly<Record<number, number>> = {
  [MQTT_LOG_DEBUG]: 10,
  [MQTT_LOG_INFO]: 20,
  [MQTT_LOG_NOTICE]: 20,
  [MQTT_LOG_WARNING]: 30,
  [MQTT_LOG_ERR]: 40,
}

/** Paho's MQTTErrorCode enum: the MQTT_ERR_* numbers. */
export const MQTTErrorCode = MQTT_ERR
export type MQTTErrorCode = (typeof MQTT_ERR)[keyof typeof MQTT_ERR]
export const MQTT_ERR_AGAIN = MQTT_ERR.AGAIN
export const MQTT_ERR_SUCCESS = MQTT_ERR.SUCCESS
export const MQTT_ERR_NOMEM = MQTT_ERR.NOMEM
export const MQTT_ERR_PROTOCOL = MQTT_ERR.PROTOCOL
export const MQTT_ERR_INVAL = MQTT_ERR.INVAL
export const MQTT_ERR_NO_CONN = MQTT_ERR.NO_CONN
export const MQTT_ERR_CONN_REFUSED = MQTT_ERR.CONN_REFUSED
export const MQTT_ERR_NOT_FOUND = MQTT_ERR.NOT_FOUND
export const MQTT_ERR_CONN_LOST = MQTT_ERR.CONN_LOST
export const MQTT_ERR_TLS = MQTT_ERR.TLS
export const MQTT_ERR_PAYLOAD_SIZE = MQTT_ERR.PAYLOAD_SIZE
export const MQTT_ERR_NOT_SUPPORTED = MQTT_ERR.NOT_SUPPORTED
export const MQTT_ERR_AUTH = MQTT_ERR.AUTH
export const MQTT_ERR_ACL_DENIED = MQTT_ERR.ACL_DENIED
export const MQTT_ERR_UNKNOWN = MQTT_ERR.UNKNOWN
export const MQTT_ERR_ERRNO = MQTT_ERR.ERRNO
export const MQTT_ERR_QUEUE_SIZE = MQTT_ERR.QUEUE_SIZE
export const MQTT_ERR_KEEPALIVE = MQTT_ERR.KEEPALIVE
