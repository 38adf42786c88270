import type { TopupRow } from './topups.repository.js'

/**
 * Where a payer goes once a payment has ended: the partner's return URL, a person's wallet (the
 * web app's wallet page tells how the top-up named in `?topup=` ended), or nowhere.
 */
export function returnLinkOf(topup: TopupRow, wallet = '/wallet'): ReturnLink | null {
  if (topup.return_url) return { href: topup.return_url, to: 'merchant' }
  return topup.owner_id.startsWith('cus_') ? { href: wallet, to: 'wallet' } : null
}

/** A way back from a payment page: to the partner's site or to the person's wallet. */
export interface ReturnLink {
  href: string
  to: 'merchant' | 'wallet'
}
