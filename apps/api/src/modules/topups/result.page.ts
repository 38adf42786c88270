import { escapeHtml, htmlPageHeaders } from '../../lib/html-page.js'
import { PAGE_TEXTS, type PageLanguage } from './page-texts.js'
import type { ReturnLink } from './return-link.js'
import type { TopupRow } from './topups.repository.js'

/** The pages a payer sees on PROTUS around a payment: plain HTML, rendered on the server. */

// The web app's look (its theme's colours, its font, a bordered card) in the one sheet the CSP allows.
const css = `
  * { box-sizing: border-box; }
  body { font-family: Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f5f6fa;
         color: #1e2433; margin: 0; line-height: 1.5; }
  header { display: flex; align-items: center; gap: .6rem; max-width: 28rem; margin: 2.5rem auto 1rem;
           padding: 0 1rem; font-weight: 700; letter-spacing: .02em; }
  header svg { flex: none; }
  main { max-width: 28rem; margin: 0 auto 2.5rem; background: #fff; border: 1px solid #dfe2eb;
         border-radius: 8px; padding: 1.75rem 1.5rem; }
  @media (max-width: 30rem) { main { margin: 0 1rem 2rem; padding: 1.5rem 1.25rem; } }
  h1 { font-size: 1.375rem; line-height: 1.3; margin: .75rem 0 0; font-weight: 600; }
  .badge { display: inline-block; font-size: .75rem; font-weight: 600; letter-spacing: .04em;
           text-transform: uppercase; background: #fff1de; color: #8a4800; border-radius: 4px;
           padding: .15rem .5rem; }
  .label { color: #5b6477; font-size: .875rem; margin: 1.25rem 0 0; }
  .amount { font-size: 2rem; font-weight: 600; margin: .25rem 0 1rem; font-variant-numeric: tabular-nums; }
  .note { color: #5b6477; font-size: .875rem; }
  .actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.5rem; }
  form { margin: 0; }
  button { font: inherit; font-weight: 600; letter-spacing: .01em; border-radius: 6px; min-height: 44px;
           padding: .55rem 1.5rem; cursor: pointer; }
  button:focus-visible, a:focus-visible { outline: 2px solid #2743c6; outline-offset: 2px; }
  .pay { background: #2743c6; border: 1px solid #2743c6; color: #fff; }
  .pay:hover { background: #1f37a6; }
  .decline { background: #fff; border: 1px solid #b9bfcc; color: #1e2433; }
  .decline:hover { background: #f5f6fa; }
  a { color: #2743c6; font-weight: 600; }
  .succeeded { color: #1b7f4b; }
  .failed { color: #c62828; }
`

// The page holds a payment link: no framing, no referrer, nothing loaded from elsewhere.
export const pageHeaders = htmlPageHeaders(css)

/** Minor units as a person reads them (`₽1,500.00`, `1 500,00 ₽`), formatted from the exact decimal, never a float. */
export function formatMinorUnits(amount: bigint, currency: string, language: PageLanguage = 'en'): string {
  const format = new Intl.NumberFormat(language, {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
  })
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2
  const sign = amount < 0n ? '-' : ''
  const units = (amount < 0n ? -amount : amount).toString().padStart(digits + 1, '0')
  const decimal = digits > 0 ? `${units.slice(0, -digits)}.${units.slice(-digits)}` : units
  // A numeric string is formatted exactly (Intl.NumberFormat v3).
  return format.format(`${sign}${decimal}` as unknown as number)
}

const brandMark =
  '<svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">' +
  '<rect width="32" height="32" rx="8" fill="#2743c6"/>' +
  '<path d="M10 24V8h7.2c3.6 0 5.8 2 5.8 5.1s-2.2 5.1-5.8 5.1H13.6V24z M13.6 15.3h3.3c1.6 0 2.5-.8 2.5-2.2s-.9-2.2-2.5-2.2h-3.3z" fill="#fff"/>' +
  '</svg>'

/** A page in `language`; `badge` marks test-mode pages (the sandbox gateway's). */
export function layout(title: string, body: string, language: PageLanguage, badge?: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<title>${escapeHtml(title)} · PROTUS</title>
<style>${css}</style>
</head>
<body>
<header>${brandMark}<span>PROTUS</span></header>
<main>
${badge ? `<span class="badge">${escapeHtml(badge)}</span>\n` : ''}${body}
</main></body>
</html>
`
}

/** What the payer sees after paying or declining; people get a link back to their wallet. */
export function resultPage(
  topup: TopupRow,
  link: ReturnLink | null,
  language: PageLanguage,
  sandbox = false,
): string {
  const text = PAGE_TEXTS[language]
  const amount = escapeHtml(formatMinorUnits(topup.amount, topup.currency, language))
  const [title, explained] =
    topup.status === 'succeeded'
      ? [text.succeeded, text.succeededText]
      : topup.status === 'failed'
        ? [text.failed, text.failedText]
        : [text.pending, text.pendingText]
  const back = link
    ? `<p class="actions"><a href="${escapeHtml(link.href)}">${escapeHtml(link.to === 'merchant' ? text.toMerchant : text.toWallet)}</a></p>`
    : ''
  return layout(
    text.result,
    `<h1 class="${escapeHtml(topup.status)}">${escapeHtml(title)}</h1><p class="amount">${amount}</p><p>${escapeHtml(explained)}</p>${back}`,
    language,
    sandbox ? text.badge : undefined,
  )
}
