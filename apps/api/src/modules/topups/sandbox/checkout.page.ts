import { escapeHtml } from '../../../lib/html-page.js'
import { PAGE_TEXTS, type PageLanguage } from '../page-texts.js'
import { formatMinorUnits, layout } from '../result.page.js'
import type { TopupRow } from '../topups.repository.js'

/** The sandbox checkout's pages: plain HTML in the payer's language, rendered on the server. */

/** The checkout URL in `language`, so the page the form posts to answers in it too. */
function inLanguage(checkoutUrl: string, language: PageLanguage): string {
  const url = new URL(checkoutUrl)
  url.searchParams.set('lang', language)
  return url.href
}

/** `partner`: the partner whose user adds money to their balance there (a managed account's top-up). */
export function checkoutPage(topup: TopupRow, language: PageLanguage, partner?: string): string {
  const text = PAGE_TEXTS[language]
  const action = escapeHtml(inLanguage(topup.checkout_url ?? '', language))
  const button = (outcome: string, label: string, style: string) =>
    `<form method="post" action="${action}"><input type="hidden" name="outcome" value="${outcome}">` +
    `<button type="submit" class="${style}">${escapeHtml(label)}</button></form>`
  const heading = partner ? text.topUpPartner(partner) : text.topUpWallet
  return layout(
    text.checkout,
    `<h1>${escapeHtml(heading)}</h1>
<p class="label">${escapeHtml(text.toPay)}</p>
<p class="amount">${escapeHtml(formatMinorUnits(topup.amount, topup.currency, language))}</p>
<p class="note">${escapeHtml(text.sandboxNote)}</p>
<div class="actions">${button('succeeded', text.pay, 'pay')}${button('failed', text.decline, 'decline')}</div>`,
    language,
    text.badge,
  )
}

export function missingPage(language: PageLanguage): string {
  const text = PAGE_TEXTS[language]
  return layout(
    text.unknown,
    `<h1>${escapeHtml(text.unknown)}</h1><p>${escapeHtml(text.unknownText)}</p>`,
    language,
    text.badge,
  )
}

export function failurePage(language: PageLanguage): string {
  const text = PAGE_TEXTS[language]
  return layout(
    text.notCompleted,
    `<h1>${escapeHtml(text.notCompleted)}</h1><p class="note">${escapeHtml(text.notCompletedText)}</p>`,
    language,
    text.badge,
  )
}
