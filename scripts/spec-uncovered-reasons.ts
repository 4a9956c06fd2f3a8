// Why some client statements are named by no test title, per protocol version (the two versions number their
// statements differently). Ids not listed here and not named by any test are reported as "not yet tested".
// A reason must be true and specific: a statement that some test does assert gets a tag on that test instead.
export const UNCOVERED_REASONS: Readonly<Record<'5.0' | '3.1.1', Readonly<Record<string, string>>>> = {
  '5.0': {},
  '3.1.1': {
    'MQTT-7.0.0-2':
      'a negative statement no single test can assert: src/ defines no packet type, property or flag outside ' +
      'the specification, and the live suite (test/live) interoperates with Mosquitto and Aedes, which need none',
  },
}
