import { DomainError } from '../../lib/domain-error.js'
import type { CatalogueService } from '../catalogue/catalogue.service.js'
import type { IdempotentRequest, StoredResponse } from '../idempotency/idempotency.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { BillingBatch, Plan } from './billing.batch.js'
import type { UserData } from './billing.operations.js'
import type { AccountRow, PageQuery } from './billing.repository.js'

/** What holds, charges and refunds share: how an operation reaches the batch, prices, pages. */

/** An amount given, or a service of the partner's catalogue times a quantity. */
export interface Priced {
  amount?: number
  service?: string
  quantity?: number
  description?: string
  metadata?: Record<string, string>
}

/** A plan the batch runs: the operation and the answer to what it writes. */
export type Planned = Omit<Extract<Plan, { reply: unknown }>, 'request'>

/** The partner's own row, or 404: another partner's object does not exist for this one. */
export function ownedBy<T extends { company_id: string }>(
  row: T | undefined,
  companyId: string,
  missing: string,
): T {
  if (!row || row.company_id !== companyId) throw new DomainError('not_found', missing)
  return row
}

/** A page of a list read one row past the limit, made views. */
export function pageOf<T, V>(rows: readonly T[], page: PageQuery, view: (row: T) => V) {
  return { data: rows.slice(0, page.limit).map(view), has_more: rows.length > page.limit }
}

/** What the ledger keeps beside a new hold or charge. */
export function userData(
  account: Pick<AccountRow, 'id' | 'company_id'>,
  serviceId: string | null,
  description: string | null,
): UserData {
  return {
    company_id: account.company_id,
    account_id: account.id,
    service_id: serviceId,
    description,
  }
}

export function createPaymentPlans(deps: {
  catalogue: CatalogueService
  ledger: LedgerService
  batch: BillingBatch
}) {
  const { catalogue, ledger, batch } = deps

  /**
   * The amount of a hold or charge: given (in the account's currency, null here), or the
   * service's price times quantity in the service's currency, which the batch checks against the
   * account's.
   */
  async function price(companyId: string, input: Priced) {
    if (input.service === undefined) {
      return { amount: BigInt(input.amount ?? 0), currency: null, serviceId: null, quantity: null }
    }
    const service = await catalogue.get(companyId, input.service)
    if (!service.active) throw new DomainError('service_inactive', `service ${service.id} is archived`)
    const quantity = input.quantity ?? 1
    return {
      amount: service.price * BigInt(quantity),
      currency: service.currency,
      serviceId: service.id,
      quantity,
    }
  }

  return {
    /**
     * Runs the planned operation through the batch. A refusal decided while planning goes through
     * the batch too, so that it is saved under the key; and a retry whose key was used already gets
     * the saved answer from the batch's claim, whatever planning would decide now.
     */
    async submit(request: IdempotentRequest, plan: () => Promise<Planned>): Promise<StoredResponse> {
      let planned: Planned
      try {
        planned = await plan()
      } catch (error) {
        if (!(error instanceof DomainError)) throw error
        return batch.execute({ request, companyId: '', operation: { kind: 'refuse' }, refusal: error })
      }
      return batch.execute({ request, ...planned })
    },

    /**
     * The fields of a new hold or charge at the partner's account: its row less what the database
     * sets or finds (the wallet, the currency when no service prices it, the revenue stripe).
     */
    async newPayment(companyId: string, accountId: string, input: Priced, id: string) {
      const { amount, currency, serviceId, quantity } = await price(companyId, input)
      return {
        id,
        company_id: companyId,
        account_id: accountId,
        revenue_stripes: ledger.stripes,
        amount,
        currency,
        service_id: serviceId,
        quantity,
        description: input.description ?? null,
        metadata: input.metadata ?? {},
      }
    },
  }
}

export type PaymentPlans = ReturnType<typeof createPaymentPlans>
