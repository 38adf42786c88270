import type { Database } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import type { CatalogueService } from '../catalogue/catalogue.service.js'
import type { IdempotentRequest, StoredResponse } from '../idempotency/idempotency.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { AccountsService } from './accounts.service.js'
import type { BillingBatch, OpResult, Plan } from './billing.batch.js'
import type { AccountRow, BillingRepository, HoldRow, PageQuery } from './billing.repository.js'
import { chargeView, holdStatus, holdView, refundView, toJson } from './billing.views.js'

export interface Call {
  request: IdempotentRequest
  requestId: string
}

export interface Priced {
  amount?: number
  service?: string
  quantity?: number
  description?: string
  metadata?: Record<string, string>
}

export const DEFAULT_HOLD_SECONDS = 7 * 86_400

const refusedForever = (error: DomainError) => () => error

/**
 * Holds, captures, releases, charges and refunds. Each call decides what it can from what it
 * reads, then hands one operation to the billing batch, where the ledger decides the rest under
 * lock. Every decided answer, refusals included, is saved under the call's idempotency key.
 */
export function createPaymentsService(deps: {
  db: Database
  repo: BillingRepository
  accounts: AccountsService
  catalogue: CatalogueService
  ledger: LedgerService
  batch: BillingBatch
  clock: Clock
}) {
  const { db, repo, accounts, catalogue, ledger, batch, clock } = deps

  /**
   * Runs the planned operation through the batch. A refusal decided here goes through the batch
   * too, so that it is saved under the key; and a retry whose key was used already gets the saved
   * answer from the batch's claim, whatever this call would decide now.
   */
  async function submit(
    call: Call,
    decide: () => Promise<Omit<Plan, 'request' | 'requestId'>>,
  ): Promise<StoredResponse> {
    let plan: Omit<Plan, 'request' | 'requestId'>
    try {
      plan = await decide()
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      plan = {
        companyId: '',
        op: { kind: 'refuse' },
        onOk: () => ({ status: 500, body: null }),
        onRefused: refusedForever(error),
      }
    }
    return batch.execute({ ...plan, ...call })
  }

  /** The amount and currency of a hold or charge: given, or the service's price times quantity. */
  async function price(companyId: string, account: AccountRow, input: Priced) {
    if (input.service === undefined) {
      return {
        amount: BigInt(input.amount ?? 0),
        currency: account.currency,
        serviceId: null,
        quantity: null,
      }
    }
    const service = await catalogue.get(companyId, input.service)
    if (!service.active) throw new DomainError('service_inactive', `service ${service.id} is archived`)
    if (service.currency !== account.currency) {
      throw new DomainError(
        'currency_mismatch',
        `service is priced in ${service.currency}, the wallet holds ${account.currency}`,
      )
    }
    const quantity = input.quantity ?? 1
    return {
      amount: service.price * BigInt(quantity),
      currency: service.currency,
      serviceId: service.id,
      quantity,
    }
  }

  function userData(account: AccountRow, serviceId: string | null, description: string | undefined) {
    return {
      company_id: account.company_id,
      account_id: account.id,
      service_id: serviceId,
      description: description ?? null,
    }
  }

  /** What a new hold or charge shares: its batch operation and the row it will answer with. */
  async function newPayment(companyId: string, account: AccountRow, input: Priced, id: string) {
    const { amount, currency, serviceId, quantity } = await price(companyId, account, input)
    const revenue = await ledger.revenueAccount(companyId, currency)
    const fields = {
      amount,
      currency,
      service_id: serviceId,
      quantity,
      description: input.description ?? null,
      metadata: input.metadata ?? {},
    }
    return {
      op: {
        id,
        company_id: companyId,
        account_id: account.id,
        wallet: account.wallet_account_id,
        revenue,
        ...fields,
      },
      row: {
        id,
        company_id: companyId,
        account_id: account.id,
        wallet_account_id: account.wallet_account_id,
        revenue_account_id: revenue,
        ...fields,
      },
    }
  }

  /** A refusal the account's grant decided under lock (revoked, scope, monthly limit), if it was one. */
  function grantRefusal(result: OpResult): DomainError | undefined {
    switch (result.result) {
      case 'grant_revoked':
        return new DomainError('grant_revoked', 'the person revoked this partner’s access to the account')
      case 'insufficient_scope':
        return new DomainError('insufficient_scope', `the account did not grant "${String(result.scope)}"`, {
          scope: result.scope,
        })
      case 'spending_limit_exceeded':
        return new DomainError(
          'spending_limit_exceeded',
          `the person allows ${String(result.remaining)} more this month (monthly limit ${String(result.limit)})`,
          { limit: Number(result.limit), remaining: Number(result.remaining) },
        )
      default:
        return undefined
    }
  }

  const insufficientFunds = (amount: bigint) => (result: OpResult) =>
    grantRefusal(result) ?? new DomainError('insufficient_funds', `the wallet cannot cover ${amount}`)

  function holdRefusal(result: OpResult): DomainError {
    const refused = grantRefusal(result)
    if (refused) return refused
    if (result.result === 'pending_not_pending') {
      return new DomainError('hold_not_pending', `the hold is ${String(result.state)}`, {
        hold_status: result.state,
      })
    }
    if (result.result === 'exceeds_pending_amount') {
      return new DomainError('capture_exceeds_hold', `the hold is for ${String(result.pending_amount)}`)
    }
    return new DomainError('not_found', 'no such hold')
  }

  /** The partner's hold, still pending; whether the grant allows the operation is decided under lock. */
  async function ownHold(companyId: string, holdId: string): Promise<HoldRow> {
    const hold = await repo.findHold(db, holdId)
    if (!hold || hold.company_id !== companyId) throw new DomainError('not_found', `no hold ${holdId}`)
    const status = holdStatus(hold, clock.now())
    if (status !== 'pending') {
      throw new DomainError('hold_not_pending', `the hold is ${status}`, { hold_status: status })
    }
    return hold
  }

  return {
    hold(companyId: string, input: Priced & { account: string; expires_in?: number }, call: Call) {
      return submit(call, async () => {
        const account = await accounts.forPartner(companyId, input.account)
        const { op, row } = await newPayment(companyId, account, input, newId('hold'))
        const expiresAt = new Date(clock.now().getTime() + (input.expires_in ?? DEFAULT_HOLD_SECONDS) * 1000)
        return {
          op: {
            ...op,
            kind: 'hold',
            expires_at: expiresAt,
            user_data: userData(account, row.service_id, input.description),
          },
          onOk: (_r, at) => ({
            status: 201,
            body: toJson(
              holdView(
                {
                  ...row,
                  status: 'pending',
                  captured_amount: 0n,
                  charge_id: null,
                  expires_at: expiresAt,
                  created_at: at,
                  resolved_at: null,
                },
                at,
              ),
            ),
          }),
          onRefused: insufficientFunds(row.amount),
          companyId,
          events: (body) => [{ type: 'hold.created', data: body }],
        }
      })
    },

    capture(companyId: string, holdId: string, input: { amount?: number }, call: Call) {
      return submit(call, async () => {
        const hold = await ownHold(companyId, holdId)
        if (input.amount !== undefined && BigInt(input.amount) > hold.amount) {
          throw new DomainError('capture_exceeds_hold', `the hold is for ${hold.amount}`)
        }
        const chargeId = newId('ch')
        return {
          op: {
            kind: 'capture',
            hold_id: hold.id,
            charge_id: chargeId,
            amount: input.amount === undefined ? null : BigInt(input.amount),
            wallet: hold.wallet_account_id,
            revenue: hold.revenue_account_id,
            user_data: { charge_id: chargeId },
          },
          onOk: (r, at) => {
            const captured = BigInt(String(r.captured_amount))
            return {
              status: 200,
              body: toJson(
                holdView(
                  {
                    ...hold,
                    status: 'captured',
                    captured_amount: captured,
                    charge_id: chargeId,
                    resolved_at: at,
                  },
                  at,
                ),
              ),
            }
          },
          onRefused: holdRefusal,
          companyId,
          events: (body, r, at) => [
            { type: 'hold.captured', data: body },
            {
              type: 'charge.succeeded',
              data: toJson(
                chargeView({
                  ...hold,
                  id: chargeId,
                  amount: BigInt(String(r.captured_amount)),
                  hold_id: hold.id,
                  amount_refunded: 0n,
                  created_at: at,
                }),
              ),
            },
          ],
        }
      })
    },

    release(companyId: string, holdId: string, call: Call) {
      return submit(call, async () => {
        const hold = await ownHold(companyId, holdId)
        return {
          op: {
            kind: 'release',
            hold_id: hold.id,
            wallet: hold.wallet_account_id,
            revenue: hold.revenue_account_id,
            user_data: {},
          },
          onOk: (_r, at) => ({
            status: 200,
            body: toJson(holdView({ ...hold, status: 'released', resolved_at: at }, at)),
          }),
          onRefused: holdRefusal,
          companyId,
          events: (body) => [{ type: 'hold.released', data: body }],
        }
      })
    },

    charge(companyId: string, input: Priced & { account: string }, call: Call) {
      return submit(call, async () => {
        const account = await accounts.forPartner(companyId, input.account)
        const { op, row } = await newPayment(companyId, account, input, newId('ch'))
        return {
          op: {
            ...op,
            kind: 'charge',
            user_data: { ...userData(account, row.service_id, input.description), charge_id: row.id },
          },
          onOk: (_r, at) => ({
            status: 201,
            body: toJson(chargeView({ ...row, hold_id: null, amount_refunded: 0n, created_at: at })),
          }),
          onRefused: insufficientFunds(row.amount),
          companyId,
          events: (body) => [{ type: 'charge.succeeded', data: body }],
        }
      })
    },

    refund(companyId: string, chargeId: string, input: { amount?: number }, call: Call) {
      return submit(call, async () => {
        const charge = await repo.findCharge(db, chargeId)
        if (!charge || charge.company_id !== companyId)
          throw new DomainError('not_found', `no charge ${chargeId}`)
        const id = newId('re')
        return {
          op: {
            kind: 'refund',
            id,
            charge_id: charge.id,
            amount: input.amount === undefined ? null : BigInt(input.amount),
            wallet: charge.wallet_account_id,
            revenue: charge.revenue_account_id,
            user_data: {
              company_id: companyId,
              account_id: charge.account_id,
              service_id: charge.service_id,
              description: charge.description,
              charge_id: charge.id,
            },
          },
          onOk: (r, at) => ({
            status: 201,
            body: toJson({
              id,
              object: 'refund',
              charge: charge.id,
              account: charge.account_id,
              amount: Number(r.amount),
              created_at: at,
            }),
          }),
          onRefused: (r) =>
            new DomainError(
              'refund_exceeds_charge',
              `at most ${String(r.refundable)} can still be refunded`,
              {
                refundable: Number(r.refundable),
              },
            ),
          companyId,
          events: (body) => [{ type: 'charge.refunded', data: body }],
        }
      })
    },

    async getHold(companyId: string, holdId: string) {
      const hold = await repo.findHold(db, holdId)
      if (!hold || hold.company_id !== companyId) throw new DomainError('not_found', `no hold ${holdId}`)
      return holdView(hold, clock.now())
    },

    async listHolds(companyId: string, filter: { accountId?: string }, page: PageQuery) {
      const rows = await repo.listHolds(db, companyId, filter, page)
      const now = clock.now()
      return {
        data: rows.slice(0, page.limit).map((r) => holdView(r, now)),
        has_more: rows.length > page.limit,
      }
    },

    async listCharges(companyId: string, filter: { accountId?: string }, page: PageQuery) {
      const rows = await repo.listCharges(db, companyId, filter, page)
      return { data: rows.slice(0, page.limit).map(chargeView), has_more: rows.length > page.limit }
    },

    async listRefunds(companyId: string, filter: { accountId?: string; chargeId?: string }, page: PageQuery) {
      const rows = await repo.listRefunds(db, companyId, filter, page)
      return { data: rows.slice(0, page.limit).map(refundView), has_more: rows.length > page.limit }
    },

    async getCharge(companyId: string, chargeId: string) {
      const charge = await repo.findCharge(db, chargeId)
      if (!charge || charge.company_id !== companyId)
        throw new DomainError('not_found', `no charge ${chargeId}`)
      return chargeView(charge)
    },
  }
}

export type PaymentsService = ReturnType<typeof createPaymentsService>
