import { http } from './http.ts'
import type { PlatformStatus } from './types.ts'

/** The mode, version and currency of this PROTUS, and whether wallets can be topped up. */
export function fetchStatus(): Promise<PlatformStatus> {
  return http.get('/v1/status')
}
