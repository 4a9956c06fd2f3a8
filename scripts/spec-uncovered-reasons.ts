// Why some client statements have no session test: they belong to another layer. Ids not listed here and
// not named by any test are reported as "not yet tested".
export const OUT_OF_SCOPE: Readonly<Record<string, string>> = {
  'MQTT-4.2.0-1': 'transport layer (src/transport): ordered, lossless byte stream',
  'MQTT-7.1.2-1': 'transport layer (src/transport): ordered, lossless byte stream',
  'MQTT-6.0.0-1': 'transport layer (WebSocket): binary frames only',
  'MQTT-6.0.0-2': 'transport layer (WebSocket): packets across frames',
  'MQTT-6.0.0-3': 'transport layer (WebSocket): "mqtt" subprotocol',
  'MQTT-7.0.0-2': 'no extension is used anywhere; nothing to test in the session',
}
