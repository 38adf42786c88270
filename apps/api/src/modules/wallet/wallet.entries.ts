import type { EntryRow } from '../ledger/ledger.repository.js'

export type EntryKind = 'top_up' | 'charge' | 'hold' | 'capture' | 'release' | 'expiry' | 'refund'

/** What a ledger movement on a person's wallet means to the person. */
export function entryKind(entry: Pick<EntryRow, 'kind' | 'direction' | 'user_data'>): EntryKind {
  switch (entry.kind) {
    case 'pending':
      return 'hold'
    case 'post_pending':
      return 'capture'
    case 'void_pending':
      return 'release'
    case 'expire_pending':
      return 'expiry'
    case 'posted':
      if (typeof entry.user_data.topup_id === 'string') return 'top_up'
      return entry.direction === 'credit' ? 'refund' : 'charge'
  }
}

/**
 * Debit when the movement takes or reserves the person's money, credit when it brings money in
 * or gives held money back. (In the ledger a released hold is booked on the wallet's debit side.)
 */
export function entryDirection(kind: EntryKind): 'debit' | 'credit' {
  return kind === 'top_up' || kind === 'refund' || kind === 'release' || kind === 'expiry'
    ? 'credit'
    : 'debit'
}

const text = (value: unknown) => (typeof value === 'string' ? value : null)

/** The partner and service a movement names in its user_data (billing writes them there). */
export function entryRefs(entry: Pick<EntryRow, 'user_data'>) {
  return {
    companyId: text(entry.user_data.company_id),
    serviceId: text(entry.user_data.service_id),
    description: text(entry.user_data.description),
  }
}
