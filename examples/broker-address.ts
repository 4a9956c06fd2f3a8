// Where the examples connect: the first command-line argument or PETREL_BROKER_URL, default mqtt://localhost:1883.
export function brokerAddress(): { url: string; hostname: string; port: number } {
  const url = process.argv[2] ?? process.env.PETREL_BROKER_URL ?? 'mqtt://localhost:1883'
  const parsed = new URL(url)
  return { url, hostname: parsed.hostname, port: parsed.port === '' ? 1883 : Number(parsed.port) }
}
