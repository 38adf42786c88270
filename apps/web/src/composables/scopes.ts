import {
  mdiAccountOutline,
  mdiCashCheck,
  mdiEmailOutline,
  mdiTimerLockOutline,
  mdiWalletOutline,
} from '@mdi/js'
import type { OAuthScope } from '../api/types.ts'

/** The order scopes are shown in everywhere: money first, from the least to the most it allows. */
export const SCOPE_ORDER: readonly OAuthScope[] = ['check', 'hold', 'charge', 'profile', 'email']

export const SCOPE_ICONS: Record<OAuthScope, string> = {
  check: mdiWalletOutline,
  hold: mdiTimerLockOutline,
  charge: mdiCashCheck,
  profile: mdiAccountOutline,
  email: mdiEmailOutline,
}

/** The scopes among `scopes` this app can name, in the order of SCOPE_ORDER. */
export function knownScopes(scopes: readonly string[]): OAuthScope[] {
  return SCOPE_ORDER.filter((scope) => scopes.includes(scope))
}
