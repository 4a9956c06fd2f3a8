// MQTT 5 Server Reference (property 0x1C, in a CONNACK or DISCONNECT with reason code 0x9C "Use another
// server" or 0x9D "Server moved"). The spec leaves its format open (section 4.11, non-normative): a
// space-separated list of references, each `host[:port]`, an IPv6 address in brackets, e.g.
// "myserver.xyz.org:8883 [fe80::9610:3eff:fe1c]:1883". Entries we cannot read are skipped.

export interface ServerReference {
  host: string
  /** Absent: the scheme's default port. */
  port?: number
}

export const USE_ANOTHER_SERVER = 0x9c
export const SERVER_MOVED = 0x9d

const BRACKETED = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/i
const PLAIN = /^([^\s:[\]/@]+)(?::(\d{1,5}))?$/

/** The references in the order the server listed them. */
export function parseServerReference(text: string): ServerReference[] {
  const references: ServerReference[] = []
  for (const entry of text.split(/\s+/)) {
    const match = BRACKETED.exec(entry) ?? PLAIN.exec(entry)
    if (match === null) continue
    const host = (match[1] as string).toLowerCase()
    if (match[2] === undefined) references.push({ host })
    else {
      const port = Number(match[2])
      if (port >= 1 && port <= 65_535) references.push({ host, port })
    }
  }
  return references
}
