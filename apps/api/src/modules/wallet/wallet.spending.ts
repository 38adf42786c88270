import { DomainError } from '../../lib/domain-error.js'
import { money } from '../billing/billing.views.js'

/** The months a report by month covers when no period is given: the current one and the 11 before. */
export const DEFAULT_MONTHS = 12
/** The most months one report by month lists: ten years. */
export const MAX_MONTHS = 120

/** What a wallet paid to and got back from one partner in one UTC month (YYYY-MM). */
export interface PartnerMonth {
  month: string
  company_id: string
  debited: bigint
  credited: bigint
  /** Payments: charges and captures. */
  debits: number
}

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1))
const nextMonth = (date: Date) => monthStart(date.getUTCFullYear(), date.getUTCMonth() + 1)
const keyOf = (date: Date) => `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`

/**
 * The period of a report by month and its months (YYYY-MM, UTC), oldest first. A missing end is
 * the end of the current month; a missing start is DEFAULT_MONTHS months back from the end's month.
 */
export function monthsOf(
  range: { createdGte?: Date; createdLt?: Date },
  now: Date,
): { createdGte: Date; createdLt: Date; keys: string[] } {
  const createdLt = range.createdLt ?? nextMonth(now)
  const last = new Date(createdLt.getTime() - 1)
  const createdGte =
    range.createdGte ?? monthStart(last.getUTCFullYear(), last.getUTCMonth() - (DEFAULT_MONTHS - 1))
  const keys: string[] = []
  if (createdGte >= createdLt) return { createdGte, createdLt, keys }
  for (let month = monthStart(createdGte.getUTCFullYear(), createdGte.getUTCMonth()); month < createdLt; ) {
    if (keys.length === MAX_MONTHS) {
      throw new DomainError('validation_failed', `a report by month covers at most ${MAX_MONTHS} months`, {
        errors: [{ field: 'querystring:/created[gte]', message: `covers more than ${MAX_MONTHS} months` }],
      })
    }
    keys.push(keyOf(month))
    month = nextMonth(month)
  }
  return { createdGte, createdLt, keys }
}

const bySpent = (a: { spent: bigint; partner: string }, b: { spent: bigint; partner: string }) =>
  a.spent === b.spent ? (a.partner < b.partner ? -1 : 1) : a.spent > b.spent ? -1 : 1

const nameOf = (names: ReadonlyMap<string, string>, id: string) => names.get(id) ?? id

/** Every month of the period with what went to each partner in it (charges less refunds), most first. */
export function spendingByMonth(
  keys: readonly string[],
  rows: readonly PartnerMonth[],
  names: ReadonlyMap<string, string>,
) {
  return keys.map((key) => {
    const partners = rows
      .filter((row) => row.month === key)
      .map((row) => ({
        partner: row.company_id,
        name: nameOf(names, row.company_id),
        spent: row.debited - row.credited,
      }))
      .sort(bySpent)
    const spent = partners.reduce((sum, p) => sum + p.spent, 0n)
    // As numbers: the report's schema is a union, which the serializer checks as JSON.
    return { key, spent: money(spent), partners: partners.map((p) => ({ ...p, spent: money(p.spent) })) }
  })
}

/** Each partner with what went to it over the period (charges less refunds) and its charges, most first. */
export function spendingByPartner(rows: readonly PartnerMonth[], names: ReadonlyMap<string, string>) {
  const totals = new Map<string, { spent: bigint; charges: number }>()
  for (const row of rows) {
    const total = totals.get(row.company_id) ?? { spent: 0n, charges: 0 }
    totals.set(row.company_id, {
      spent: total.spent + row.debited - row.credited,
      charges: total.charges + row.debits,
    })
  }
  return [...totals]
    .map(([partner, total]) => ({ partner, spent: total.spent, charges: total.charges }))
    .sort(bySpent)
    .map(({ partner, spent, charges }) => ({
      key: partner,
      name: nameOf(names, partner),
      spent: money(spent),
      charges_count: charges,
    }))
}
