import type { Queryable } from '../../db/database.js'
import type { DomainError } from '../../lib/domain-error.js'
import type { Plan, Success } from '../billing/billing.batch.js'
import { writtenAs } from '../billing/billing.operations.js'
import type { AccountRow, ChargeRow } from '../billing/billing.repository.js'
import { chargeView, toJson } from '../billing/billing.views.js'
import { userData } from '../billing/payment-plans.js'
import type { IdempotentRequest } from '../idempotency/idempotency.service.js'

/** What a period's charge takes: the subscription's fixed price, from the account's wallet. */
export interface PeriodCharge {
  subscriptionId: string
  companyId: string
  account: AccountRow
  revenue: bigint
  serviceId: string
  quantity: number
  amount: bigint
  currency: string
}

/**
 * The plan of one period's charge: an ordinary charge (balance, `charge` scope, revocation and the
 * spending limit decided by `billing_apply`), whose ledger user_data names the subscription. When
 * it succeeds, `onCharged` writes the subscription's side in the same transaction and answers.
 */
export function periodChargePlan(
  request: IdempotentRequest,
  charge: PeriodCharge & { id: string },
  onCharged: (row: ChargeRow, at: Date, tx: Queryable) => Promise<Success>,
): Plan {
  const { account } = charge
  return {
    request,
    companyId: charge.companyId,
    operation: {
      kind: 'charge',
      id: charge.id,
      company_id: charge.companyId,
      account_id: account.id,
      wallet: account.wallet_account_id,
      revenue: charge.revenue,
      amount: charge.amount,
      currency: charge.currency,
      service_id: charge.serviceId,
      quantity: charge.quantity,
      description: null,
      metadata: { subscription: charge.subscriptionId },
      user_data: {
        ...userData(account, charge.serviceId, null),
        charge_id: charge.id,
        subscription_id: charge.subscriptionId,
      },
    },
    async succeeded(written, at, tx) {
      const row = writtenAs(written, 'charge').charge
      const answer = await onCharged(row, at, tx)
      const succeeded = { type: 'charge.succeeded' as const, data: toJson(chargeView(row)) }
      return { ...answer, events: [succeeded, ...answer.events] }
    },
  }
}

/** A refusal decided before the money moves: it only claims the key, so that it is saved. */
export function refusalPlan(request: IdempotentRequest, companyId: string, refusal: DomainError): Plan {
  return { request, companyId, operation: { kind: 'refuse' }, refusal }
}
