import type { TopupRow } from './topups.repository.js'

/**
 * Where a payer goes once a payment has ended: the partner's return URL, a person's wallet (the
 * web app's wallet page tells how the top-up named in `?topup=` ended), or nowhere.
 */
export function returnLinkOf(topup: TopupRow, wallet = '/wallet'): { href: string; label: string } | null {
  if (topup.return_url) return { href: topup.return_url, label: 'Return to the merchant' }
  return topup.owner_id.startsWith('cus_') ? { href: wallet, label: 'Back to your wallet' } : null
}
