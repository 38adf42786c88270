import type { Database } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { newId } from '../../lib/ids.js'
import type { IdempotentRequest } from '../idempotency/idempotency.service.js'
import type { EventType } from '../webhooks/webhook-events.js'
import type { Reply } from './billing.operations.js'
import type { BillingRepository, HoldStatus, PageQuery, PaymentFilter } from './billing.repository.js'
import { holdView } from './billing.views.js'
import { ownedBy, type PaymentPlans, type Priced, pageOf, userData } from './payment-plans.js'

export const DEFAULT_HOLD_SECONDS = 7 * 86_400

/** A hold as answered and reported (with its charge's event when a capture made one). */
function holdReply(status: number, type: EventType, charge?: 'charge.succeeded'): Reply {
  const events: Reply['events'] = [{ type, of: 'hold' }]
  if (charge) events.push({ type: charge, of: 'charge' })
  return { status, body: 'hold', events }
}

/**
 * Holds: placed, captured in full or in part, released. The hold's status and a capture's amount
 * are decided in the batch, under the hold's lock.
 */
export function createHoldsService(deps: {
  db: Database
  repo: BillingRepository
  plans: PaymentPlans
  clock: Clock
}) {
  const { db, repo, plans, clock } = deps

  const ownHold = async (companyId: string, holdId: string) =>
    ownedBy(await repo.findHold(db, holdId), companyId, `no hold ${holdId}`)

  return {
    hold(
      companyId: string,
      input: Priced & { account: string; expires_in?: number },
      request: IdempotentRequest,
    ) {
      return plans.submit(request, async () => {
        const payment = await plans.newPayment(companyId, input.account, input, newId('hold'))
        return {
          companyId,
          operation: {
            kind: 'hold',
            ...payment,
            expires_in: input.expires_in ?? DEFAULT_HOLD_SECONDS,
            user_data: userData(
              { id: input.account, company_id: companyId },
              payment.service_id,
              payment.description,
            ),
          },
          reply: holdReply(201, 'hold.created'),
        }
      })
    },

    capture(companyId: string, holdId: string, input: { amount?: number }, request: IdempotentRequest) {
      return plans.submit(request, async () => {
        const chargeId = newId('ch')
        return {
          companyId,
          operation: {
            kind: 'capture',
            hold_id: holdId,
            company_id: companyId,
            charge_id: chargeId,
            amount: input.amount === undefined ? null : BigInt(input.amount),
            user_data: { charge_id: chargeId },
          },
          reply: holdReply(200, 'hold.captured', 'charge.succeeded'),
        }
      })
    },

    release(companyId: string, holdId: string, request: IdempotentRequest) {
      return plans.submit(request, async () => {
        return {
          companyId,
          operation: {
            kind: 'release',
            hold_id: holdId,
            company_id: companyId,
            user_data: {},
          },
          reply: holdReply(200, 'hold.released'),
        }
      })
    },

    async getHold(companyId: string, holdId: string) {
      return holdView(await ownHold(companyId, holdId), clock.now())
    },

    async listHolds(companyId: string, filter: PaymentFilter & { status?: HoldStatus }, page: PageQuery) {
      const now = clock.now()
      return pageOf(await repo.listHolds(db, companyId, filter, page, now), page, (row) => holdView(row, now))
    },
  }
}

export type HoldsService = ReturnType<typeof createHoldsService>
