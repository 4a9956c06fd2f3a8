// DNS SRV lookup for connectSrv(): `_mqtt._tcp.<domain>` (or `_secure-mqtt._tcp` with TLS), by priority then
// weight. Node only.
import { resolveSrv } from 'node:dns/promises'
import { MqttError } from '../packet/errors.js'

export async function lookupSrv(domain: string, secure: boolean): Promise<Array<{ name: string; port: number }>> {
  if (typeof domain !== 'string' || domain === '')
    throw new MqttError('ERR_INVALID_ARGUMENT', 'connectSrv needs a domain')
  const service = `${secure ? '_secure-mqtt' : '_mqtt'}._tcp.${domain}`
  try {
    const records = await resolveSrv(service)
    return records.sort((a, b) => a.priority - b.priority || b.weight - a.weight)
  } catch (error) {
    throw new MqttError('ERR_DNS', `no SRV record for ${service}`, { cause: error })
  }
}
