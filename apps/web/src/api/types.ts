// Shapes of the API's answers (docs/api.md). Money is always integer minor units of `currency`.

export type AccountKind = 'customer' | 'company'

export interface Customer {
  id: string
  email: string
  username: string
  created_at: string
}

export interface CompanyCreated {
  id: string
  name: string
  email: string
  client_id: string
  client_secret: string
  webhook_secret: string
  created_at: string
}

export interface CustomerMe {
  kind: 'customer'
  id: string
  email: string
  username: string
  csrf_token: string
}

export interface CompanyMe {
  kind: 'company'
  id: string
  email: string
  name: string
  csrf_token: string
}

export type Me = CustomerMe | CompanyMe

export interface SecretInfo {
  hint: string
  created_at: string
  /** Set on a secret that was rotated away and still works until then. */
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

export interface CompanyUpdate {
  name?: string
  webhook_url?: string | null
  redirect_uris?: string[]
}

export type SecretKind = 'client_secret' | 'webhook_secret'

/** How long, in seconds, a rotated-away secret keeps working: 0 ends it at once, at most 86400. */
export interface RotateSecretOptions {
  previous_expires_in: number
}

export interface RotatedSecret {
  secret: string
  previous_expires_at: string
}

export type RecurringInterval = 'day' | 'week' | 'month' | 'year'

export interface Recurring {
  interval: RecurringInterval
  count: number
}

export interface Service {
  id: string
  name: string
  /** Integer minor units of `currency`. */
  price: number
  currency: string
  recurring: Recurring | null
  active: boolean
  created_at: string
  updated_at: string
}

export interface ServiceCreate {
  name: string
  price: number
  currency?: string
  recurring?: Recurring | null
}

export interface ServiceUpdate {
  name?: string
  price?: number
  active?: boolean
}

export interface Page<T> {
  data: T[]
  has_more: boolean
}

/** What a partner may do with a person's money. */
export type Scope = 'check' | 'hold' | 'charge'

/** Everything a person may grant a partner: the money scopes and what the partner learns of them. */
export type OAuthScope = Scope | 'profile' | 'email'

/** The signed-in person's wallet. available = posted - held. */
export interface Wallet {
  currency: string
  available: number
  held: number
  posted: number
}

export type EntryKind = 'top_up' | 'charge' | 'hold' | 'capture' | 'release' | 'expiry' | 'refund'

export interface NamedRef {
  id: string
  name: string
}

/** One movement on the person's statement. */
export interface Entry {
  id: string
  kind: EntryKind
  amount: number
  direction: 'debit' | 'credit'
  /** The available balance right after this movement. */
  balance_after: number
  partner: NamedRef | null
  service: NamedRef | null
  description: string | null
  created_at: string
}

/** The person's account at one partner, as the person sees it. */
export interface PartnerAccount {
  id: string
  company: NamedRef
  spent: number
  held: number
  scopes: Scope[]
  created_at: string
  last_activity_at: string | null
}

export type TopUpStatus = 'pending' | 'succeeded' | 'failed'

export interface TopUp {
  id: string
  status: TopUpStatus
  amount: number
  currency: string
  /** The payment page to send the payer to. */
  checkout_url: string | null
  created_at: string
  completed_at: string | null
}

/** An account at the signed-in company: a PROTUS person or one of its direct users. */
export interface Account {
  id: string
  kind: 'protus' | 'managed'
  external_id: string | null
  email: string | null
  username: string | null
  currency: string
  scopes: Scope[]
  spent: number
  held: number
  refunded: number
  last_activity_at: string | null
  created_at: string
}

export type HoldStatus = 'pending' | 'captured' | 'released' | 'expired'

export interface Hold {
  id: string
  account: string
  amount: number
  currency: string
  service: string | null
  /** Units of the service, when the amount was its price times a quantity. */
  quantity: number | null
  description: string | null
  status: HoldStatus
  captured_amount: number
  charge: { id: string; amount: number } | null
  expires_at: string
  created_at: string
}

export interface Charge {
  id: string
  account: string
  amount: number
  currency: string
  service: string | null
  quantity: number | null
  description: string | null
  hold: string | null
  status: 'succeeded'
  amount_refunded: number
  created_at: string
}

export interface Refund {
  id: string
  charge: string
  account: string
  amount: number
  created_at: string
}

/** One scope a partner asks for on the consent page. */
export interface RequestedScope {
  scope: OAuthScope
  /** The person granted it to this partner before. */
  granted: boolean
}

/** A partner's request to act for the signed-in person, waiting for their answer. */
export interface ConsentRequest {
  id: string
  client: { client_id: string; name: string }
  redirect_uri: string
  scopes: RequestedScope[]
  /** The monthly spending limit already set for this partner, in minor units; null: none. */
  monthly_limit: number | null
  expires_at: string
}

/**
 * The person's answer. `monthly_limit` in minor units of the wallet's currency, null for no
 * limit; left out, a limit set before stays as it was.
 */
export type ConsentDecision =
  | { allow: true; scopes: OAuthScope[]; monthly_limit?: number | null }
  | { allow: false }

/** A partner the signed-in person allowed to act for them. */
export interface Grant {
  client_id: string
  company: NamedRef
  scopes: OAuthScope[]
  /** The person's account at this partner. */
  account_id: string
  created_at: string
  last_used_at: string | null
  /** Charged less refunded, in the wallet's currency. */
  spent: number
  /** What the partner may spend in a calendar month (UTC), in minor units; null: no limit. */
  monthly_limit: number | null
  /** This calendar month's (UTC) charges and captures at the partner, less their refunds. */
  spent_this_month: number
  /** The limit less spent_this_month and the open holds; null without a limit. */
  limit_remaining: number | null
  /** When the month ends and the limit starts afresh (the first of next month, UTC). */
  limit_resets_at: string | null
}

export interface GrantLimitUpdate {
  /** Minor units greater than zero, or null to remove the limit. */
  monthly_limit: number | null
}

export type PlatformMode = 'sandbox' | 'live'

/** What this PROTUS is (GET /v1/status, no sign-in needed). */
export interface PlatformStatus {
  /** sandbox: no real money moves. */
  mode: PlatformMode
  version: string
  /** The currency of new wallets. */
  currency: string
  /** False in live mode without a payment provider: wallets cannot be topped up here. */
  topups_available: boolean
}

/** Every event PROTUS sends to a partner's webhook endpoint; `ping` is the test event. */
export const WEBHOOK_EVENT_TYPES = [
  'ping',
  'account.created',
  'grant.created',
  'grant.revoked',
  'hold.created',
  'hold.captured',
  'hold.released',
  'hold.expired',
  'charge.succeeded',
  'charge.refunded',
  'wallet.topped_up',
] as const

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/** Where the signed-in company's webhooks go; disabled after the endpoint answered 410 Gone. */
export interface WebhookEndpoint {
  url: string | null
  status: 'enabled' | 'disabled' | 'not_set'
  disabled_at: string | null
  disabled_reason: string | null
}

export interface WebhookEvent {
  id: string
  type: WebhookEventType
  timestamp: string
  data: unknown
}

/** One try at sending an event. `error` names what went wrong when no HTTP answer came back. */
export interface WebhookAttempt {
  attempted_at: string
  url: string
  http_status: number | null
  error: string | null
  duration_ms: number
  /** The start of the response body. */
  response_excerpt: string | null
  succeeded: boolean
  /** Asked for with Retry, rather than on the retry schedule. */
  manual: boolean
}

/**
 * `failed`: retries exhausted; `skipped`: no webhook URL was set when it was due. A pending
 * delivery with attempts is waiting for its next retry.
 */
export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'skipped'

export const WEBHOOK_DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = [
  'pending',
  'succeeded',
  'failed',
  'skipped',
]

/** One event on its way to the company's endpoint, with every attempt, oldest first. */
export interface WebhookDelivery {
  id: string
  object: 'webhook_delivery'
  event: WebhookEvent
  status: WebhookDeliveryStatus
  attempt_count: number
  next_attempt_at: string | null
  created_at: string
  completed_at: string | null
  attempts: WebhookAttempt[]
}
