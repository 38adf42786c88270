import { escapeHtml } from '../../../lib/html-page.js'
import { formatMinorUnits, layout as page } from '../result.page.js'
import type { TopupRow } from '../topups.repository.js'

/** The sandbox checkout's pages: plain HTML, rendered on the server. */

export const SANDBOX_BADGE = 'Sandbox · test mode'
const layout = (title: string, body: string) => page(title, body, SANDBOX_BADGE)

export function checkoutPage(topup: TopupRow): string {
  const action = escapeHtml(topup.checkout_url ?? '')
  const button = (outcome: string, label: string, style: string) =>
    `<form method="post" action="${action}"><input type="hidden" name="outcome" value="${outcome}">` +
    `<button type="submit" class="${style}">${label}</button></form>`
  return layout(
    'Checkout',
    `<h1>Top up your PROTUS wallet</h1>
<p class="amount">${escapeHtml(formatMinorUnits(topup.amount, topup.currency))}</p>
<p class="note">No real money moves here: choose how this test payment ends.</p>
${button('succeeded', 'Pay', 'pay')}${button('failed', 'Decline', 'decline')}`,
  )
}

export function missingPage(): string {
  return layout('Unknown payment', '<h1>Unknown payment</h1><p>This checkout link is not valid.</p>')
}

export function failurePage(): string {
  return layout(
    'Payment not completed',
    '<h1>Payment not completed</h1><p class="note">The merchant did not accept the notification. Try again.</p>',
  )
}
