import { escapeHtml, htmlPageHeaders } from '../../lib/html-page.js'
import type { TopupRow } from './topups.repository.js'

/** The pages a payer sees on PROTUS around a payment: plain HTML, rendered on the server. */

const css = `
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
`

// The page holds a payment link: no framing, no referrer, nothing loaded from elsewhere.
export const pageHeaders = htmlPageHeaders(css)

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

/** A page; `badge` marks test-mode pages (the sandbox gateway's). */
export function layout(title: string, body: string, badge?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · PROTUS</title>
<style>${css}</style>
</head>
<body><main>
${badge ? `<span class="badge">${escapeHtml(badge)}</span>\n` : ''}${body}
</main></body>
</html>
`
}

/** What the payer sees after paying or declining; people get a link back to their wallet. */
export function resultPage(
  topup: TopupRow,
  link: { href: string; label: string } | null,
  badge?: string,
): string {
  const amount = escapeHtml(formatMinorUnits(topup.amount, topup.currency))
  const message =
    topup.status === 'succeeded'
      ? `<h1>Payment received</h1><p class="amount">${amount}</p><p>The wallet has been topped up.</p>`
      : topup.status === 'failed'
        ? `<h1>Payment declined</h1><p class="amount">${amount}</p><p>Nothing was charged and the wallet is unchanged.</p>`
        : `<h1>Payment pending</h1><p class="amount">${amount}</p><p>The payment is still being processed.</p>`
  const back = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''
  return layout('Payment result', message + back, badge)
}
