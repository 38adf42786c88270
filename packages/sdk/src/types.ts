import type { components } from './generated/wire.js'

/**
 * The PROTUS API's objects as they come over the wire, named: each is the type generated from the
 * server's schemas (`src/generated/wire.ts`). Money is always integer minor units of `currency`
 * (15000 RUB = 150.00 ₽); timestamps are ISO 8601 strings.
 */

/** A scope a person grants a partner; `profile` and `email` only shape userinfo. */
export type Scope = components['schemas']['GrantData']['scopes'][number]
/** The scopes that allow billing calls. */
export type BillingScope = Account['scopes'][number]

/** A page of a cursor-paginated list; pass the last item's id as `starting_after` for the next. */
export interface Page<T> {
  data: T[]
  has_more: boolean
}

export interface PageParams {
  /** 1 to 100, default 20. */
  limit?: number
  /** The id of the last item already seen. */
  starting_after?: string
}

type Schemas = components['schemas']

/** Someone who pays the partner: a PROTUS person who signed in, or a managed account. */
export type Account = Schemas['Account']

/**
 * What a person lets a partner take in a calendar month (UTC): `monthly`, and `remaining` (the
 * limit less this month's charges after refunds and the open holds) until `resets_at`. Holds and
 * charges past it are refused with 402 `spending_limit_exceeded`.
 */
export type SpendingLimit = NonNullable<Account['spending_limit']>

/** An account's available and held funds, with the person's monthly limit for you. */
export type Balance = Schemas['Balance']

export type HoldStatus = Hold['status']

/** Funds held on an account until you capture or release them, or they expire. */
export type Hold = Schemas['Hold']

/** Money taken from an account: directly, or by capturing a hold. */
export type Charge = Schemas['Charge']

export type Refund = Schemas['Refund']

/** A top-up; `account` is the managed account topped up, `checkout_url` the payment page to hand it. */
export type Topup = Schemas['Topup']

/** A service of your catalogue, priced in minor units of `currency`. */
export type Service = Schemas['Service']

/** A secret's last characters and lifetime; a rotated-away secret works until `expires_at`. */
export type SecretInfo = Company['client_secrets'][number]

export type Company = Schemas['Company']

/** Where your webhooks go; disabled after your endpoint answered 410 Gone. */
export type WebhookEndpoint = Schemas['WebhookEndpoint']

/** One try at sending an event. */
export type WebhookAttempt = WebhookDelivery['attempts'][number]

/** One event on its way to your endpoint, with every attempt, oldest first. */
export type WebhookDelivery = Schemas['WebhookDelivery']

/** What to bill: an amount, or a service of the catalogue (times `quantity`). */
export type Priced =
  | { amount: number; service?: never; quantity?: never }
  | { service: string; quantity?: number; amount?: never }

interface BillingCommon {
  /** The account to bill (`acct_…`). */
  account: string
  /** Shown to the person in their statement. */
  description?: string
  /** Up to 20 string keys with values of at most 500 characters. */
  metadata?: Record<string, string>
}

export type CreateHoldParams = BillingCommon &
  Priced & {
    /** Seconds until the hold expires and the funds come back; 60 to 2592000, default 604800. */
    expires_in?: number
  }

export type CreateChargeParams = BillingCommon & Priced

export type SubscriptionStatus = Subscription['status']

/**
 * A recurring service an account pays for every period (`sub_…`). `amount` is the price per period,
 * fixed when the subscription started (a later price change of the service applies only to new
 * subscriptions). `current_period_start`/`current_period_end` are the last paid period;
 * `next_charge_at` is when PROTUS charges next (null once it will not). A refused renewal makes it
 * `past_due` and is retried; after the last retry it is `canceled` with a `cancel_reason`.
 */
export type Subscription = Schemas['Subscription']

/** Why a subscription ended. */
export type CancelReason = NonNullable<Subscription['cancel_reason']>

export interface CreateSubscriptionParams {
  /** The account to bill every period (`acct_…`); a PROTUS person's needs the `charge` scope. */
  account: string
  /** An active recurring service of your catalogue (`svc_…`): its interval sets the periods. */
  service: string
  /** 1 to 1000, default 1: the price per period is the service's price times it. */
  quantity?: number
  /** Up to 20 string keys with values of at most 500 characters. */
  metadata?: Record<string, string>
}

/**
 * Narrows a list of holds, charges or refunds: to one account, one service of your catalogue (a
 * refund: its charge's), and a creation time at or after `created.gte` and before `created.lt`
 * (a `Date`, or an ISO 8601 string with its offset).
 */
export type PaymentListParams = PageParams & {
  account?: string
  service?: string
  created?: { gte?: Date | string; lt?: Date | string }
}

/** Holds in one status; a pending hold past its expiry is `expired`. */
export type ListHoldsParams = PaymentListParams & { status?: HoldStatus }

/** Refunds of one charge, besides the other filters. */
export type ListRefundsParams = PaymentListParams & { charge?: string }

/**
 * Revenue per service, UTC day or UTC month and currency: `charges_count` and `gross` of the
 * charges created under the key, `refunds` made under it (of its charges' service), `net`.
 */
export type RevenueReport = Schemas['RevenueReport']

export interface RevenueReportParams {
  group_by: RevenueReport['group_by']
  created?: { gte?: Date | string; lt?: Date | string }
}

export type ListSubscriptionsParams = PageParams & {
  account?: string
  status?: SubscriptionStatus
  service?: string
}

/** Deliveries in one status or of one event type. */
export type ListWebhookDeliveriesParams = PageParams & { status?: WebhookDelivery['status']; type?: string }

export interface CancelSubscriptionParams {
  /**
   * true (the default): the subscription stays active until `current_period_end` and is not
   * charged again; false: it ends now. A `past_due` subscription always ends now. No refund
   * either way: refund the charge if you want to.
   */
  at_period_end?: boolean
}

/** The time of a sandbox server's clock (ISO 8601); objects carry this clock's times. */
export interface SandboxClock {
  now: string
}

/**
 * What you earned and were paid, in one currency: `available` is revenue not yet paid out nor in a
 * pending payout, `pending_payouts` what payouts on their way hold, `paid_out_total` all paid so far.
 */
export type PartnerBalance = Schemas['PartnerBalance']

export type BalanceTransactionType = BalanceTransaction['type']

/**
 * One movement of your balance: a charge earned, a refund given back, a payout taken out or a
 * failed payout's return. `amount` and `net` (`amount` less `fee`) are signed as they moved your
 * balance; `source` is the id of the charge, refund or payout behind it.
 */
export type BalanceTransaction = Schemas['BalanceTransaction']

/**
 * Balance transactions of one type, account or service (a refund: its charge's; payouts have
 * none), created at or after `created.gte` and before `created.lt`.
 */
export type ListBalanceTransactionsParams = PageParams & {
  type?: BalanceTransactionType
  service?: string
  account?: string
  created?: { gte?: Date | string; lt?: Date | string }
}

export type PayoutStatus = Payout['status']

/**
 * Money paid out of your balance (`po_…`), asked for in the dashboard: `pending` until the operator
 * pays it (`reference`, `paid_at`) or it fails (`failure_reason`, and the amount comes back).
 */
export type Payout = Schemas['Payout']

export type ListPayoutsParams = PageParams & { status?: PayoutStatus }
