import type { Database } from '../../db/database.js'
import { newId } from '../../lib/ids.js'
import type { IdempotentRequest } from '../idempotency/idempotency.service.js'
import type { BillingRepository, PageQuery, PaymentFilter, RevenueGrouping } from './billing.repository.js'
import { chargeView, money } from './billing.views.js'
import { ownedBy, type PaymentPlans, type Priced, pageOf, userData } from './payment-plans.js'

/** Direct charges of an account, and the charges of captured holds as the partner reads them. */
export function createChargesService(deps: { db: Database; repo: BillingRepository; plans: PaymentPlans }) {
  const { db, repo, plans } = deps

  return {
    charge(companyId: string, input: Priced & { account: string }, request: IdempotentRequest) {
      return plans.submit(request, async () => {
        const payment = await plans.newPayment(companyId, input.account, input, newId('ch'))
        return {
          companyId,
          operation: {
            kind: 'charge',
            ...payment,
            user_data: {
              ...userData(
                { id: input.account, company_id: companyId },
                payment.service_id,
                payment.description,
              ),
              charge_id: payment.id,
            },
          },
          reply: { status: 201, body: 'charge', events: [{ type: 'charge.succeeded', of: 'charge' }] },
        }
      })
    },

    async getCharge(companyId: string, chargeId: string) {
      return chargeView(ownedBy(await repo.findCharge(db, chargeId), companyId, `no charge ${chargeId}`))
    },

    /** Revenue by service, day or month: charges, their gross, the refunds made, the net. */
    async revenue(
      companyId: string,
      groupBy: RevenueGrouping,
      range: { createdGte?: Date; createdLt?: Date },
    ) {
      const rows = await repo.revenue(db, companyId, groupBy, range)
      return {
        group_by: groupBy,
        data: rows.map((r) => ({
          key: r.key,
          currency: r.currency,
          charges_count: r.charges_count,
          gross: money(r.gross),
          refunds: money(r.refunds),
          net: money(r.gross - r.refunds),
        })),
      }
    },

    async listCharges(companyId: string, filter: PaymentFilter, page: PageQuery) {
      return pageOf(await repo.listCharges(db, companyId, filter, page), page, chargeView)
    },

    /** The `limit` charges after `after` (newest first), for exports. */
    chargePage: async (companyId: string, filter: PaymentFilter, after: string | undefined, limit: number) =>
      (await repo.listCharges(db, companyId, filter, { limit, startingAfter: after })).slice(0, limit),
  }
}

export type ChargesService = ReturnType<typeof createChargesService>
