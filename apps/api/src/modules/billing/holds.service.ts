import type { Database } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { newId } from '../../lib/ids.js'
import type { IdempotentRequest } from '../idempotency/idempotency.service.js'
import type { EventType } from '../webhooks/webhook-events.js'
import type { Success } from './billing.batch.js'
import { writtenAs } from './billing.operations.js'
import type { BillingRepository, HoldRow, PageQuery } from './billing.repository.js'
import { chargeView, holdView, toJson } from './billing.views.js'
import { ownedBy, type PaymentPlans, type Priced, pageOf, userData } from './payment-plans.js'

export const DEFAULT_HOLD_SECONDS = 7 * 86_400

/** A hold as answered and reported, from its row as the database wrote it. */
function holdAnswer(status: number, type: EventType, hold: HoldRow, at: Date): Success {
  const body = toJson(holdView(hold, at))
  return { status, body, events: [{ type, data: body }] }
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
          succeeded: (written, at) => holdAnswer(201, 'hold.created', writtenAs(written, 'hold').hold, at),
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
          succeeded: (written, at) => {
            const captured = writtenAs(written, 'capture')
            const answer = holdAnswer(200, 'hold.captured', captured.hold, at)
            answer.events.push({ type: 'charge.succeeded', data: toJson(chargeView(captured.charge)) })
            return answer
          },
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
          succeeded: (written, at) =>
            holdAnswer(200, 'hold.released', writtenAs(written, 'release').hold, at),
        }
      })
    },

    async getHold(companyId: string, holdId: string) {
      return holdView(await ownHold(companyId, holdId), clock.now())
    },

    async listHolds(companyId: string, filter: { accountId?: string }, page: PageQuery) {
      const now = clock.now()
      return pageOf(await repo.listHolds(db, companyId, filter, page), page, (row) => holdView(row, now))
    },
  }
}

export type HoldsService = ReturnType<typeof createHoldsService>
