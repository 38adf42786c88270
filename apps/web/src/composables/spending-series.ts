import type { SpendingMonth } from '../api/types.ts'

/** One partner across the months of the chart: what went to it in each, in minor units. */
export interface PartnerSeries {
  id: string
  name: string
  values: number[]
  total: number
}

/** The spending report as the chart stacks it: months oldest first, partners most spent first. */
export interface SpendingSeries {
  /** The months' keys (YYYY-MM, UTC), as the report lists them. */
  months: string[]
  partners: PartnerSeries[]
  /** Each month's total over all partners. */
  totals: number[]
  /** No partner charged or refunded anything in the period. */
  empty: boolean
}

export function spendingSeries(data: readonly SpendingMonth[]): SpendingSeries {
  const months = data.map((month) => month.key)
  const partners = new Map<string, PartnerSeries>()
  data.forEach((month, index) => {
    for (const { partner, name, spent } of month.partners) {
      const series = partners.get(partner) ?? { id: partner, name, values: months.map(() => 0), total: 0 }
      series.values[index] = spent
      series.total += spent
      partners.set(partner, series)
    }
  })
  const ordered = [...partners.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name))
  return { months, partners: ordered, totals: data.map((month) => month.spent), empty: partners.size === 0 }
}

/** A month's key as people read it on an axis: "Jan 26", "янв. 26" (the month in UTC, as the report counts). */
export function monthLabel(key: string, locale: string, style: 'short' | 'long' = 'short'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'short' ? { month: 'short', year: '2-digit' } : { month: 'long', year: 'numeric' }
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(
    new Date(`${key}-01T00:00:00Z`),
  )
}
