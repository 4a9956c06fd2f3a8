// Why some client statements are named by no test title, per protocol version (the two versions number their
// statements differently). Ids not listed here and not named by any test are reported as "not yet tested".
export const UNCOVERED_REASONS: Readonly<Record<'5.0' | '3.1.1', Readonly<Record<string, string>>>> = {
  '5.0': {},
  '3.1.1': {},
}
