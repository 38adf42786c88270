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
export type Planned = Omit<Extract<Plan, { succeeded: unknown }>, 'request'>

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
  account: AccountRow,
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

    /** The fields of a new hold or charge at the account: its row less what the database sets. */
    async newPayment(companyId: string, account: AccountRow, input: Priced, id: string) {
      const { amount, currency, serviceId, quantity } = await price(companyId, account, input)
      return {
        id,
        company_id: companyId,
        account_id: account.id,
        wallet: account.wallet_account_id,
        revenue: await ledger.revenueAccount(companyId, currency, account.wallet_account_id),
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
