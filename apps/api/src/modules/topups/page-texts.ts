/**
 * What the payment pages PROTUS renders itself (the sandbox checkout and the result of a payment)
 * say, in the web app's languages. The web app opens checkout with `?lang=` set to its own
 * language; a page reached otherwise follows the browser's Accept-Language.
 */

export const PAGE_LANGUAGES = ['en', 'ru'] as const
export type PageLanguage = (typeof PAGE_LANGUAGES)[number]

const isPageLanguage = (value: string): value is PageLanguage =>
  (PAGE_LANGUAGES as readonly string[]).includes(value)

/** `lang` when it is one of ours, else the first of ours Accept-Language prefers, else English. */
export function pageLanguage(lang: string | undefined, acceptLanguage: string | undefined): PageLanguage {
  if (lang !== undefined && isPageLanguage(lang)) return lang
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((item, order) => {
      const [tag = '', ...params] = item.trim().toLowerCase().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      return { base: tag.trim().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), order }
    })
    .filter(({ q }) => q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
  return ranked.map(({ base }) => base).find(isPageLanguage) ?? 'en'
}

export const PAGE_TEXTS = {
  en: {
    badge: 'Sandbox · test mode',
    checkout: 'Checkout',
    topUpWallet: 'Top up your PROTUS wallet',
    topUpPartner: (partner: string) => `Add money to your ${partner} balance`,
    toPay: 'Amount to pay',
    sandboxNote: 'No real money moves here: choose how this test payment ends.',
    pay: 'Pay',
    decline: 'Decline',
    unknown: 'Unknown payment',
    unknownText: 'This checkout link is not valid.',
    notCompleted: 'Payment not completed',
    notCompletedText: 'The merchant did not accept the notification. Try again.',
    result: 'Payment result',
    succeeded: 'Payment received',
    succeededText: 'The wallet has been topped up.',
    failed: 'Payment declined',
    failedText: 'Nothing was charged and the wallet is unchanged.',
    pending: 'Payment pending',
    pendingText: 'The payment is still being processed.',
    toMerchant: 'Return to the merchant',
    toWallet: 'Back to your wallet',
  },
  ru: {
    badge: 'Песочница · тестовый режим',
    checkout: 'Оплата',
    topUpWallet: 'Пополнение кошелька PROTUS',
    topUpPartner: (partner: string) => `Пополнение баланса в ${partner}`,
    toPay: 'Сумма к оплате',
    sandboxNote: 'Настоящие деньги здесь не списываются: выберите, чем закончится этот тестовый платёж.',
    pay: 'Оплатить',
    decline: 'Отклонить',
    unknown: 'Неизвестный платёж',
    unknownText: 'Эта ссылка на оплату недействительна.',
    notCompleted: 'Платёж не завершён',
    notCompletedText: 'Продавец не принял уведомление. Попробуйте ещё раз.',
    result: 'Результат оплаты',
    succeeded: 'Платёж получен',
    succeededText: 'Кошелёк пополнен.',
    failed: 'Платёж отклонён',
    failedText: 'Деньги не списаны, кошелёк не изменился.',
    pending: 'Платёж обрабатывается',
    pendingText: 'Платёж ещё не завершён.',
    toMerchant: 'Вернуться к продавцу',
    toWallet: 'Вернуться в кошелёк',
  },
} satisfies Record<PageLanguage, Record<string, string | ((name: string) => string)>>

export type PageTexts = (typeof PAGE_TEXTS)[PageLanguage]
