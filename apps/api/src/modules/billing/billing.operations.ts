import { DomainError } from '../../lib/domain-error.js'
import type { EventType } from '../webhooks/webhook-events.js'
import type { ChargeRow, HoldRow, HoldStatus, RefundRow, Scope } from './billing.repository.js'

/** What the ledger keeps beside a transfer: who, what for; strings only. */
export type UserData = Record<string, string | null>

/**
 * The accounts an operation moves money between; the batch locks them. Left out, `billing_apply`
 * finds them from the partner's account, hold or charge (no read before the batch).
 */
interface Between {
  company_id: string
  wallet?: bigint
  revenue?: bigint
  user_data: UserData
}

/** A new hold or charge: the fields of the row it writes that the request decides. */
type NewPayment = Between &
  Pick<HoldRow, 'id' | 'account_id' | 'amount' | 'service_id' | 'quantity' | 'description' | 'metadata'> & {
    /** The service's currency; null: the account's (`currency_mismatch` when they differ). */
    currency: string | null
    /** How many stripes the partner's revenue has at least (the set grows to it in the batch). */
    revenue_stripes?: number
  }

/** One operation of a billing batch, as `billing_apply_one` takes it. */
export type Operation =
  | ({ kind: 'hold'; expires_in: number } & NewPayment)
  | ({ kind: 'charge' } & NewPayment)
  | ({ kind: 'capture'; hold_id: string; charge_id: string; amount: bigint | null } & Between)
  | ({ kind: 'release'; hold_id: string } & Between)
  | ({
      kind: 'refund'
      id: string
      charge_id: string
      amount: bigint | null
      /** Refused when the partner's revenue in the charge's currency cannot cover it. */
      floor: boolean
    } & Between)
  /** A refusal decided before the batch: it only claims the key, so that the refusal is saved. */
  | { kind: 'refuse' }

/** The rows an operation that succeeded wrote, as the database answered them. */
export type Written =
  | { kind: 'hold'; hold: HoldRow }
  | { kind: 'release'; hold: HoldRow }
  | { kind: 'capture'; hold: HoldRow; charge: ChargeRow }
  | { kind: 'charge'; charge: ChargeRow }
  | { kind: 'refund'; refund: RefundRow; charge: ChargeRow }

/** What the database decided under lock against an operation; it wrote nothing. */
export type Refusal =
  | { result: 'refused' }
  | { result: 'account_not_found' }
  | { result: 'hold_not_found' }
  | { result: 'charge_not_found' }
  | { result: 'currency_mismatch'; currency: string; account_currency: string }
  | { result: 'grant_revoked' }
  | { result: 'insufficient_scope'; scope: Scope }
  | { result: 'spending_limit_exceeded'; limit: bigint; remaining: bigint }
  | { result: 'exceeds_credits' }
  | { result: 'pending_not_found' }
  | { result: 'pending_not_pending'; hold_status: HoldStatus }
  | { result: 'exceeds_pending_amount'; pending_amount: bigint }
  | { result: 'exceeds_charge'; refundable: bigint }
  | { result: 'partner_balance_insufficient'; available: bigint }

export type Outcome = ({ result: 'ok' } & Written) | Refusal

/** A row an operation writes, by the name its outcome gives it. */
export type RowName = 'hold' | 'charge' | 'refund'

/**
 * How `billing_apply` answers an operation that succeeds, in its statement: the status, the API's
 * view of the row `body` names as the body (saved under the key), and an event for each of
 * `events`, its data the view of the row it names (written to the outbox).
 */
export interface Reply {
  status: number
  body: RowName
  events: { type: EventType; of: RowName }[]
}

/** The rows of the operation kind expected, or a fault: an operation writes the rows of its kind. */
export function writtenAs<K extends Written['kind']>(
  written: Written,
  kind: K,
): Extract<Written, { kind: K }> {
  const isKind = (w: Written): w is Extract<Written, { kind: K }> => w.kind === kind
  if (!isKind(written)) throw new Error(`a ${kind} operation answered the rows of a ${written.kind}`)
  return written
}

/** The partner's answer to what the database refused: one problem per refusal. */
export function refusalError(refusal: Refusal, operation: Operation): DomainError {
  switch (refusal.result) {
    case 'account_not_found':
      return new DomainError(
        'not_found',
        `no account ${'account_id' in operation ? operation.account_id : ''}`,
      )
    case 'hold_not_found':
      return new DomainError('not_found', `no hold ${'hold_id' in operation ? operation.hold_id : ''}`)
    case 'charge_not_found':
      return new DomainError('not_found', `no charge ${'charge_id' in operation ? operation.charge_id : ''}`)
    case 'currency_mismatch':
      return new DomainError(
        'currency_mismatch',
        `service is priced in ${refusal.currency}, the wallet holds ${refusal.account_currency}`,
      )
    case 'grant_revoked':
      return new DomainError('grant_revoked', 'the person revoked this partner’s access to the account')
    case 'insufficient_scope':
      return new DomainError('insufficient_scope', `the account did not grant "${refusal.scope}"`, {
        scope: refusal.scope,
      })
    case 'spending_limit_exceeded':
      return new DomainError(
        'spending_limit_exceeded',
        `the person allows ${refusal.remaining} more this month (monthly limit ${refusal.limit})`,
        { limit: Number(refusal.limit), remaining: Number(refusal.remaining) },
      )
    case 'exceeds_credits':
      return new DomainError(
        'insufficient_funds',
        `the wallet cannot cover ${'amount' in operation ? operation.amount : 'the amount'}`,
      )
    case 'pending_not_pending':
      return new DomainError('hold_not_pending', `the hold is ${refusal.hold_status}`, {
        hold_status: refusal.hold_status,
      })
    case 'exceeds_pending_amount':
      return new DomainError('capture_exceeds_hold', `the hold is for ${refusal.pending_amount}`)
    case 'exceeds_charge':
      return new DomainError('refund_exceeds_charge', `at most ${refusal.refundable} can still be refunded`, {
        refundable: Number(refusal.refundable),
      })
    case 'partner_balance_insufficient':
      return new DomainError(
        'partner_balance_insufficient',
        `the refund would take your available balance below zero (available ${refusal.available})`,
        { available: Number(refusal.available) },
      )
    case 'pending_not_found':
    case 'refused':
      return new DomainError('not_found', 'no such hold')
  }
}
