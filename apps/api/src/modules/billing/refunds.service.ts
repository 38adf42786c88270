import type { Database } from '../../db/database.js'
import { newId } from '../../lib/ids.js'
import type { IdempotentRequest } from '../idempotency/idempotency.service.js'
import type { BillingRepository, PageQuery, PaymentFilter } from './billing.repository.js'
import { refundView } from './billing.views.js'
import { type PaymentPlans, pageOf } from './payment-plans.js'

/** Refunds of charges in full or in part; what is left to refund is decided under the charge's lock. */
export function createRefundsService(deps: {
  db: Database
  repo: BillingRepository
  plans: PaymentPlans
  /** Whether a refund may take a partner's available balance below zero (its revenue was paid out). */
  allowNegativeBalance: boolean
}) {
  const { db, repo, plans } = deps

  return {
    refund(companyId: string, chargeId: string, input: { amount?: number }, request: IdempotentRequest) {
      return plans.submit(request, async () => {
        return {
          companyId,
          operation: {
            kind: 'refund',
            id: newId('re'),
            charge_id: chargeId,
            company_id: companyId,
            amount: input.amount === undefined ? null : BigInt(input.amount),
            floor: !deps.allowNegativeBalance,
            // The batch writes the charge's account, service and description here.
            user_data: {},
          },
          reply: { status: 201, body: 'refund', events: [{ type: 'charge.refunded', of: 'refund' }] },
        }
      })
    },

    async listRefunds(companyId: string, filter: PaymentFilter & { chargeId?: string }, page: PageQuery) {
      return pageOf(await repo.listRefunds(db, companyId, filter, page), page, refundView)
    },
  }
}

export type RefundsService = ReturnType<typeof createRefundsService>
