import type { EntryRow, EntryShape } from '../ledger/ledger.repository.js'

export const ENTRY_KINDS = ['top_up', 'charge', 'hold', 'capture', 'release', 'expiry', 'refund'] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]

/** What marks a posted credit as a top-up (the top-ups module writes it). */
const TOP_UP = 'topup_id'

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
      if (typeof entry.user_data[TOP_UP] === 'string') return 'top_up'
      return entry.direction === 'credit' ? 'refund' : 'charge'
  }
}

/**
 * The ledger movements that give statement lines of `kind`: `entryKind` and `statementLines`
 * read backwards. A partial capture gives a release line too, for the rest of its hold.
 */
export function shapesOf(kind: EntryKind): EntryShape[] {
  switch (kind) {
    case 'top_up':
      return [{ kind: 'posted', tag: { key: TOP_UP, present: true } }]
    case 'charge':
      return [{ kind: 'posted', direction: 'debit', tag: { key: TOP_UP, present: false } }]
    case 'refund':
      return [{ kind: 'posted', direction: 'credit', tag: { key: TOP_UP, present: false } }]
    case 'hold':
      return [{ kind: 'pending' }]
    case 'capture':
      return [{ kind: 'post_pending' }]
    case 'release':
      return [{ kind: 'void_pending' }, { kind: 'post_pending', partial: true }]
    case 'expiry':
      return [{ kind: 'expire_pending' }]
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

/** Ends the id of the line that gives back what a partial capture left of its hold. */
export const REST_SUFFIX = ':rest'
const restOf = (transferId: string) => `${transferId}${REST_SUFFIX}`

/** The ledger transfer a statement line belongs to. */
export const transferOf = (lineId: string) =>
  lineId.endsWith(REST_SUFFIX) ? lineId.slice(0, -REST_SUFFIX.length) : lineId

/** One line of the statement and what it did to the available funds. */
export interface StatementLine {
  id: string
  kind: EntryKind
  amount: bigint
  direction: 'debit' | 'credit'
  /** Signed: available funds after this line minus available funds after the line before it. */
  available_change: bigint
  balance_after: bigint
}

/**
 * A movement as the statement's lines, newest first. A capture ends its hold in one ledger
 * transfer, yet does two things a person sees apart: it pays the amount captured out of the
 * reserved funds (available does not move) and gives back the rest of the hold (available goes
 * up by it). So a partial capture is two lines, the rest's line being the newer.
 */
export function statementLines(
  entry: Pick<
    EntryRow,
    'id' | 'kind' | 'direction' | 'amount' | 'balance_after' | 'pending_amount' | 'user_data'
  >,
): StatementLine[] {
  const kind = entryKind(entry)
  if (kind === 'capture') {
    const rest = (entry.pending_amount ?? entry.amount) - entry.amount
    const capture: StatementLine = {
      id: entry.id,
      kind,
      amount: entry.amount,
      direction: 'debit',
      available_change: 0n,
      balance_after: entry.balance_after - rest,
    }
    if (rest <= 0n) return [capture]
    const released: StatementLine = {
      id: restOf(entry.id),
      kind: 'release',
      amount: rest,
      direction: 'credit',
      available_change: rest,
      balance_after: entry.balance_after,
    }
    return [released, capture]
  }
  const direction = entryDirection(kind)
  return [
    {
      id: entry.id,
      kind,
      amount: entry.amount,
      direction,
      available_change: direction === 'credit' ? entry.amount : -entry.amount,
      balance_after: entry.balance_after,
    },
  ]
}

const text = (value: unknown) => (typeof value === 'string' ? value : null)

/** The partner, service and subscription a movement names in its user_data (billing writes them there). */
export function entryRefs(entry: Pick<EntryRow, 'user_data'>) {
  return {
    companyId: text(entry.user_data.company_id),
    serviceId: text(entry.user_data.service_id),
    subscriptionId: text(entry.user_data.subscription_id),
    description: text(entry.user_data.description),
  }
}
