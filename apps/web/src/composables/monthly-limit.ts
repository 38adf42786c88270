import type { OAuthScope } from '../api/types.ts'
import { minorToDecimal, parseMoney } from '../i18n/money.ts'

/** The largest limit the field takes, in minor units (₽10,000,000,000.00): well inside JSON's exact integers. */
export const MAX_MONTHLY_LIMIT = 10 ** 12

/** A limit only means something to a partner that may take money. */
export const limitApplies = (scopes: readonly OAuthScope[]) =>
  scopes.some((scope) => scope === 'hold' || scope === 'charge')

/** The limit as the field shows it: "500.00", or empty for no limit. */
export const limitToText = (limit: number | null, currency: string) =>
  limit === null ? '' : minorToDecimal(limit, currency)

/**
 * The limit a person typed, in minor units: null for an empty field (no limit), undefined for
 * text that is not an amount above zero.
 */
export function limitFromText(text: string, currency: string): number | null | undefined {
  if (text.trim() === '') return null
  const minor = parseMoney(text, currency)
  return minor !== null && minor > 0 && minor <= MAX_MONTHLY_LIMIT ? minor : undefined
}

/** How much of the limit is taken, 0 to 100, for a progress bar: what it leaves, held funds included. */
export function limitUsed(limit: number, remaining: number): number {
  return Math.min(100, Math.max(0, ((limit - remaining) / limit) * 100))
}
