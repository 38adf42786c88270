// The only place that turns integer minor units into text for people and back.
// Amounts never pass through floating point: Intl formats an exact decimal string.

const digitsCache = new Map<string, number>()
const formatters = new Map<string, Intl.NumberFormat>()

/** ISO 4217 exponent of a currency as the platform's Intl knows it (RUB 2, JPY 0, KWD 3). */
export function fractionDigits(currency: string): number {
  const code = currency.toUpperCase()
  let digits = digitsCache.get(code)
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits as number
    digitsCache.set(code, digits)
  }
  return digits
}

/** Minor units as a plain decimal string with every fraction digit: 15000 RUB -> "150.00". */
export function minorToDecimal(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount must be a safe integer, got ${minor}`)
  const digits = fractionDigits(currency)
  const sign = minor < 0 ? '-' : ''
  const padded = String(Math.abs(minor)).padStart(digits + 1, '0')
  if (digits === 0) return sign + padded
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`
}

export interface MoneyFormat {
  /** Mark every non-zero amount with its sign: "+₽500.00" for money in, "-₽120.00" for money out. */
  signed?: boolean
}

function formatterFor(locale: string, currency: string, signed: boolean): Intl.NumberFormat {
  const key = `${locale}|${currency}|${signed}`
  let formatter = formatters.get(key)
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      signDisplay: signed ? 'exceptZero' : 'auto',
    })
    formatters.set(key, formatter)
  }
  return formatter
}

/** Formats minor units for people: formatMoney(15000, 'RUB', 'ru') -> "150,00 ₽". */
export function formatMoney(
  minor: number,
  currency: string,
  locale = 'en',
  options: MoneyFormat = {},
): string {
  const code = currency.toUpperCase()
  return formatterFor(locale, code, options.signed ?? false).format(
    minorToDecimal(minor, code) as Intl.StringNumericLiteral,
  )
}

/** The sign people know a currency by, as amounts show it: "₽" for RUB, "$" for USD. */
export function currencySymbol(currency: string, locale = 'en'): string {
  const parts = formatterFor(locale, currency.toUpperCase(), false).formatToParts(0)
  return parts.find((part) => part.type === 'currency')?.value ?? currency.toUpperCase()
}

function currencyMarks(currency: string): string[] {
  const marks = new Set<string>([currency])
  for (const locale of ['en', 'ru']) {
    for (const currencyDisplay of ['symbol', 'narrowSymbol'] as const) {
      const parts = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        currencyDisplay,
      }).formatToParts(1)
      for (const part of parts) if (part.type === 'currency') marks.add(part.value)
    }
  }
  return [...marks].sort((a, b) => b.length - a.length)
}

function stripCurrency(text: string, currency: string): string {
  let result = text
  for (const mark of currencyMarks(currency)) result = result.split(mark).join('')
  return result.replace(new RegExp(currency, 'gi'), '')
}

interface Split {
  integer: string
  fraction: string
}

function splitOnSeparators(body: string, digits: number): Split | null {
  const dots = body.split('.').length - 1
  const commas = body.split(',').length - 1
  let decimal: string | null = null
  if (dots > 0 && commas > 0) {
    decimal = body.lastIndexOf('.') > body.lastIndexOf(',') ? '.' : ','
  } else if (dots + commas === 1 && digits > 0) {
    // A lone separator is the decimal mark. "1,500" is refused rather than guessed: an English
    // reader means 1500, a Russian one 1.5, and a price off by a factor of 1000 is worse than a retry.
    const tail = body.length - body.search(/[.,]/) - 1
    if (tail > digits) return null
    decimal = body.includes('.') ? '.' : ','
  }
  let integer = body
  let fraction = ''
  if (decimal) {
    const at = body.lastIndexOf(decimal)
    integer = body.slice(0, at)
    fraction = body.slice(at + 1)
    if (!/^\d*$/.test(fraction)) return null
  }
  if (/[.,]/.test(integer)) {
    if (!/^\d{1,3}([.,]\d{3})+$/.test(integer)) return null
    if (new Set(integer.replace(/\d/g, '')).size > 1) return null
    integer = integer.replace(/[.,]/g, '')
  }
  return { integer, fraction }
}

/**
 * Reads an amount a person typed ("150", "150.00", "150,5", "1 500,00 ₽", "1,500.00") as an
 * integer number of minor units of `currency`. Returns null when the text is not an amount
 * or has more fraction digits than the currency allows.
 */
export function parseMoney(text: string, currency: string): number | null {
  const code = currency.toUpperCase()
  const digits = fractionDigits(code)
  const compact = stripCurrency(text.replace(/[\s\u00a0\u202f']/g, ''), code)
  const match = /^([+-]?)([\d.,]+)$/.exec(compact)
  if (!match) return null
  const [, sign, body] = match as unknown as [string, string, string]
  const split = splitOnSeparators(body, digits)
  if (!split || split.fraction.length > digits) return null
  if (split.integer === '' && split.fraction === '') return null
  const minor = Number((split.integer || '0') + split.fraction.padEnd(digits, '0'))
  if (!Number.isSafeInteger(minor)) return null
  return sign === '-' ? -minor : minor
}
