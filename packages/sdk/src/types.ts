/**
 * The PROTUS API's objects as they come over the wire. Money is always integer minor units of
 * `currency` (15000 RUB = 150.00 ₽); timestamps are ISO 8601 strings.
 */

/** A scope a person grants a partner; `profile` and `email` only shape userinfo. */
export type Scope = 'check' | 'hold' | 'charge' | 'profile' | 'email'
/** The scopes that allow billing calls. */
export type BillingScope = 'check' | 'hold' | 'charge'

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

/** Someone who pays the partner: a PROTUS person who signed in, or a managed account. */
export interface Account {
  id: string
  kind: 'protus' | 'managed'
  external_id: string | null
  email: string | null
  username: string | null
  currency: string
  scopes: BillingScope[]
  /** Charged less refunded. */
  spent: number
  /** Open holds. */
  held: number
  refunded: number
  last_activity_at: string | null
  /** The person's monthly limit for you, with the `check` scope; null when there is none. */
  spending_limit: SpendingLimit | null
  created_at: string
}

/**
 * What a person lets a partner take in a calendar month (UTC). Holds and charges past it are
 * refused with 402 `spending_limit_exceeded`.
 */
export interface SpendingLimit {
  monthly: number
  /** The limit less this month's charges (after refunds) and the open holds. */
  remaining: number
  /** When the month ends and the limit starts afresh. */
  resets_at: string
}

export interface Balance {
  account: string
  currency: string
  available: number
  held: number
  spending_limit: SpendingLimit | null
}

export type HoldStatus = 'pending' | 'captured' | 'released' | 'expired'

/** What holds and charges say about the money they move. */
interface Billed {
  account: string
  amount: number
  currency: string
  service: string | null
  quantity: number | null
  description: string | null
  metadata: Record<string, string>
}

export interface Hold extends Billed {
  id: string
  object: 'hold'
  status: HoldStatus
  captured_amount: number
  /** The charge a capture made. */
  charge: { id: string; amount: number } | null
  expires_at: string
  created_at: string
  resolved_at: string | null
}

export interface Charge extends Billed {
  id: string
  object: 'charge'
  /** The hold this charge captured, if any. */
  hold: string | null
  status: 'succeeded'
  amount_refunded: number
  created_at: string
}

export interface Refund {
  id: string
  object: 'refund'
  charge: string
  account: string
  amount: number
  created_at: string
}

export interface Topup {
  id: string
  /** The managed account topped up. */
  account?: string
  status: 'pending' | 'succeeded' | 'failed'
  amount: number
  currency: string
  /** The payment page: hand it to the account's user. */
  checkout_url: string | null
  created_at: string
  completed_at: string | null
}

export interface Service {
  id: string
  name: string
  price: number
  currency: string
  recurring: { interval: 'day' | 'week' | 'month' | 'year'; count: number } | null
  active: boolean
  created_at: string
  updated_at: string
}

export interface SecretInfo {
  hint: string
  created_at: string
  expires_at: string | null
}

export interface Company {
  id: string
  name: string
  email: string
  client_id: string
  redirect_uris: string[]
  webhook_url: string | null
  client_secrets: SecretInfo[]
  webhook_secrets: SecretInfo[]
  created_at: string
}

export interface WebhookEndpoint {
  url: string | null
  status: 'enabled' | 'disabled' | 'not_set'
  disabled_at: string | null
  disabled_reason: string | null
}

export interface WebhookAttempt {
  attempted_at: string
  url: string
  http_status: number | null
  error: string | null
  duration_ms: number
  response_excerpt: string | null
  succeeded: boolean
  manual: boolean
}

export interface WebhookDelivery {
  id: string
  object: 'webhook_delivery'
  event: { id: string; type: string; timestamp: string; data: unknown }
  status: 'pending' | 'succeeded' | 'failed' | 'skipped'
  attempt_count: number
  next_attempt_at: string | null
  created_at: string
  completed_at: string | null
  attempts: WebhookAttempt[]
}

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
