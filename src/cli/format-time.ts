// The times petrel sub -F prints, as mosquitto_sub does: local time with a +hhmm offset (%I, %j's tst),
// Unix time with nanoseconds (%U), and @X strftime sequences. `epochMs` may carry a fraction (microseconds).

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September']
MONTHS.push('October', 'November', 'December')

const pad = (value: number, width: number, fill = '0') => String(value).padStart(width, fill)

/** Nanoseconds past the current second, to the microsecond (a double holds no finer at today's epoch). */
function nanos(epochMs: number): number {
  return Math.min(Math.round((((epochMs % 1000) + 1000) % 1000) * 1000), 999_999) * 1000
}

/** The local UTC offset as +hhmm / -hhmm. */
function offset(date: Date): string {
  const minutes = -date.getTimezoneOffset()
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`
}

function dayOfYear(date: Date): number {
  const start = new Date(date.getFullYear(), 0, 1)
  return (
    Math.round((new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime() - start.getTime()) / 864e5) + 1
  )
}

function zoneName(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date)
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? ''
}

/** The strftime conversions @X understands (besides @@ and @N). */
const STRFTIME: Record<string, (date: Date) => string> = {
  a: (d) => DAYS[d.getDay()]!.slice(0, 3),
  A: (d) => DAYS[d.getDay()]!,
  b: (d) => MONTHS[d.getMonth()]!.slice(0, 3),
  B: (d) => MONTHS[d.getMonth()]!,
  d: (d) => pad(d.getDate(), 2),
  e: (d) => pad(d.getDate(), 2, ' '),
  F: (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`,
  H: (d) => pad(d.getHours(), 2),
  I: (d) => pad(((d.getHours() + 11) % 12) + 1, 2),
  j: (d) => pad(dayOfYear(d), 3),
  k: (d) => pad(d.getHours(), 2, ' '),
  l: (d) => pad(((d.getHours() + 11) % 12) + 1, 2, ' '),
  m: (d) => pad(d.getMonth() + 1, 2),
  M: (d) => pad(d.getMinutes(), 2),
  p: (d) => (d.getHours() < 12 ? 'AM' : 'PM'),
  s: (d) => String(Math.floor(d.getTime() / 1000)),
  S: (d) => pad(d.getSeconds(), 2),
  T: (d) => `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`,
  u: (d) => String(d.getDay() === 0 ? 7 : d.getDay()),
  w: (d) => String(d.getDay()),
  y: (d) => pad(d.getFullYear() % 100, 2),
  Y: (d) => String(d.getFullYear()),
  z: offset,
  Z: zoneName,
  n: () => '\n',
  t: () => '\t',
}

/** Whether @c is a sequence petrel knows. */
export function isTimeSequence(c: string): boolean {
  return c === '@' || c === 'N' || c in STRFTIME
}

/** The text of @c at `epochMs`. */
export function timeSequence(c: string, epochMs: number): string {
  if (c === '@') return '@'
  if (c === 'N') return pad(nanos(epochMs), 9)
  return STRFTIME[c]!(new Date(Math.floor(epochMs)))
}

/** %I: 2016-08-10T09:47:38+0100 (local time). */
export function isoLocal(epochMs: number): string {
  const date = new Date(Math.floor(epochMs))
  return `${STRFTIME.F!(date)}T${STRFTIME.T!(date)}${offset(date)}`
}

/** %j's tst: 2020-05-06T22:12:00.000000+0100 (local time, microseconds). */
export function isoLocalMicros(epochMs: number): string {
  const date = new Date(Math.floor(epochMs))
  const micros = pad(Math.floor(nanos(epochMs) / 1000), 6)
  return `${STRFTIME.F!(date)}T${STRFTIME.T!(date)}.${micros}${offset(date)}`
}

/** %U: 1470818943.786368637 */
export function unixNanos(epochMs: number): string {
  return `${Math.floor(epochMs / 1000)}.${pad(nanos(epochMs), 9)}`
}
