import type { TopupRow } from '../topups.repository.js'

/** The sandbox checkout's pages: plain HTML, rendered on the server. */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )

/** Minor units as a person reads them (`RUB 1,500.00`), formatted from the exact decimal, never a float. */
export function formatMinorUnits(amount: bigint, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency })
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2
  const sign = amount < 0n ? '-' : ''
  const units = (amount < 0n ? -amount : amount).toString().padStart(digits + 1, '0')
  const decimal = digits > 0 ? `${units.slice(0, -digits)}.${units.slice(-digits)}` : units
  // A numeric string is formatted exactly (Intl.NumberFormat v3).
  return format.format(`${sign}${decimal}` as unknown as number)
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · PROTUS sandbox</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2433; margin: 0; }
  main { max-width: 26rem; margin: 4rem auto; background: #fff; border-radius: 12px; padding: 2rem;
         box-shadow: 0 2px 12px rgba(0, 0, 0, .08); }
  .badge { display: inline-block; font-size: .75rem; letter-spacing: .05em; text-transform: uppercase;
           background: #fff3cd; color: #7a5b00; border-radius: 4px; padding: .15rem .5rem; }
  .amount { font-size: 2rem; font-weight: 600; margin: 1rem 0; }
  form { display: inline; }
  button { font: inherit; border: 0; border-radius: 8px; padding: .6rem 1.4rem; cursor: pointer; margin-right: .5rem; }
  .pay { background: #1a7f4b; color: #fff; }
  .decline { background: #e4e6eb; color: #1d2433; }
  .note { color: #5b6577; font-size: .9rem; }
</style>
</head>
<body><main>
<span class="badge">Sandbox · test mode</span>
${body}
</main></body>
</html>
`
}

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

/** What the payer sees after paying or declining; people get a link back to their wallet. */
export function resultPage(topup: TopupRow, link: { href: string; label: string } | null): string {
  const amount = escapeHtml(formatMinorUnits(topup.amount, topup.currency))
  const message =
    topup.status === 'succeeded'
      ? `<h1>Payment received</h1><p class="amount">${amount}</p><p>The wallet has been topped up.</p>`
      : topup.status === 'failed'
        ? `<h1>Payment declined</h1><p class="amount">${amount}</p><p>Nothing was charged and the wallet is unchanged.</p>`
        : `<h1>Payment pending</h1><p class="amount">${amount}</p><p>The payment is still being processed.</p>`
  const back = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''
  return layout('Payment result', message + back)
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
