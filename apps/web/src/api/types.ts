// Shapes of the API's answers and requests: every wire object is generated from the server's
// schemas (`@protus/sdk`'s src/generated/wire.ts, `npm run generate`); what is web-only is written here.
// Money is always integer minor units of `currency`.
import type {
  Account,
  BalanceTransaction,
  BalanceTransactionType,
  BillingScope,
  Charge,
  Company,
  components,
  Hold,
  HoldStatus,
  PartnerBalance,
  Payout,
  PayoutStatus,
  paths,
  Refund,
  Scope as SdkScope,
  SecretInfo,
  Service,
  Topup,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
} from '@protus/sdk'
import { webhookEventTypes } from '@protus/sdk/wire'

// The objects the SDK names, under the same names.
export type {
  Account,
  Charge,
  Company,
  Hold,
  HoldStatus,
  Refund,
  SecretInfo,
  Service,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
}

type Schemas = components['schemas']

/** The JSON body a route takes. */
type JsonBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } }
  ? Body
  : never

export type AccountKind = 'customer' | 'company'

export type Customer = Schemas['Customer']

export type CompanyCreated = Schemas['CompanyCreated']

export type Me = Schemas['Me']
export type CustomerMe = Extract<Me, { kind: 'customer' }>
export type CompanyMe = Extract<Me, { kind: 'company' }>
export type SessionState = Schemas['SessionState']

export type CompanyUpdate = JsonBody<paths['/v1/company']['patch']>

export type SecretKind = 'client_secret' | 'webhook_secret'

/** How long, in seconds, a rotated-away secret keeps working: 0 ends it at once, at most 86400. */
export type RotateSecretOptions = JsonBody<paths['/v1/company/secrets/client_secret/rotate']['post']>

export interface RotatedSecret {
  secret: string
  previous_expires_at: string
}

export type Recurring = NonNullable<Service['recurring']>
export type RecurringInterval = Recurring['interval']

export type ServiceCreate = JsonBody<paths['/v1/services']['post']>

export type ServiceUpdate = JsonBody<paths['/v1/services/{id}']['patch']>

export interface Page<T> {
  data: T[]
  has_more: boolean
}

/** What a partner may do with a person's money. */
export type Scope = BillingScope

/** Everything a person may grant a partner: the money scopes and what the partner learns of them. */
export type OAuthScope = SdkScope

/** The signed-in person's wallet. available = posted - held. */
export type Wallet = Schemas['Wallet']

export type EntryKind = Entry['kind']

export type NamedRef = NonNullable<Entry['partner']>

/** One movement on the person's statement. */
export type Entry = Schemas['Entry']

/** The person's account at one partner, as the person sees it. */
export type PartnerAccount = Schemas['PartnerAccount']

/** What went to partners in each month of a period, split by partner (charges less refunds). */
export type SpendingByMonth = Schemas['SpendingByMonth']
export type SpendingMonth = SpendingByMonth['data'][number]

export type TopUp = Topup
export type TopUpStatus = TopUp['status']

/** One scope a partner asks for on the consent page. */
export type RequestedScope = ConsentRequest['scopes'][number]

/** A partner's request to act for the signed-in person, waiting for their answer. */
export type ConsentRequest = Schemas['ConsentRequest']

/**
 * The person's answer. `monthly_limit` in minor units of the wallet's currency, null for no
 * limit; left out, a limit set before stays as it was.
 */
export type ConsentDecision =
  | { allow: true; scopes: OAuthScope[]; monthly_limit?: number | null }
  | { allow: false }

/** A partner the signed-in person allowed to act for them. */
export type Grant = Schemas['Grant']

export type GrantLimitUpdate = JsonBody<paths['/v1/me/grants/{client_id}/limit']['put']>

export type PlatformMode = PlatformStatus['mode']

/** What this PROTUS is (GET /v1/status, no sign-in needed). */
export type PlatformStatus = Schemas['PlatformStatus']

/** Every event PROTUS sends to a partner's webhook endpoint; `ping` is the test event. */
export type WebhookEventType = WebhookDelivery['event']['type']

/** The event types at run time, for the deliveries filter (only this list of the SDK is bundled). */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = webhookEventTypes

export type WebhookEvent = WebhookDelivery['event']

/**
 * `failed`: retries exhausted; `skipped`: no webhook URL was set when it was due. A pending
 * delivery with attempts is waiting for its next retry.
 */
export type WebhookDeliveryStatus = WebhookDelivery['status']

/**
 * A partner's subscription of an account to a recurring service: `amount` is the price of one
 * period, fixed when it started; `current_period_*` is the last paid period.
 */
export type Subscription = Schemas['Subscription']

export type SubscriptionStatus = Subscription['status']

export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['active', 'past_due', 'canceled']

/** A subscription as the person who pays it sees it: with the partner and the service named. */
export type PersonSubscription = Schemas['PersonSubscription']

export const WEBHOOK_DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = [
  'pending',
  'succeeded',
  'failed',
  'skipped',
]

export const HOLD_STATUSES: readonly HoldStatus[] = ['pending', 'captured', 'released', 'expired']

/** Revenue by service, UTC day or UTC month: charges counted when made, refunds when given. */
export type RevenueReport = Schemas['RevenueReport']
export type RevenueGroupBy = RevenueReport['group_by']
export type RevenueRow = RevenueReport['data'][number]

/** The signed-in company's money: earned and not paid out, on its way in payouts, paid out. */
/** One movement of the company's balance; `amount` is signed (refunds and payouts negative). */
export type { BalanceTransaction, BalanceTransactionType, PartnerBalance }

export const BALANCE_TRANSACTION_TYPES: readonly BalanceTransactionType[] = [
  'charge',
  'refund',
  'payout',
  'payout_reversal',
]

/** Money the company asked to be paid out of its balance; the operator pays it or marks it failed. */
export type { Payout, PayoutStatus }

export const PAYOUT_STATUSES: readonly PayoutStatus[] = ['pending', 'paid', 'failed']

export type PayoutCreate = JsonBody<paths['/v1/payouts']['post']>
