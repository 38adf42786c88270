import { createHash } from 'node:crypto'
import { basicAuthorization, createTransport, type RequestOptions, type RetryOptions } from './http.js'
import { createProtusOAuth } from './oauth.js'
import { type ListPromise, listPages } from './pagination.js'
import type {
  Account,
  Balance,
  BalanceTransaction,
  CancelSubscriptionParams,
  Charge,
  Company,
  CreateChargeParams,
  CreateHoldParams,
  CreateSubscriptionParams,
  Hold,
  ListBalanceTransactionsParams,
  ListHoldsParams,
  ListPayoutsParams,
  ListRefundsParams,
  ListSubscriptionsParams,
  ListWebhookDeliveriesParams,
  Page,
  PageParams,
  PartnerBalance,
  PaymentListParams,
  Payout,
  Refund,
  RevenueReport,
  RevenueReportParams,
  SandboxClock,
  Service,
  Subscription,
  Topup,
  WebhookDelivery,
  WebhookEndpoint,
} from './types.js'

/**
 * How to reach PROTUS as a partner.
 *
 * @example
 * ```ts
 * const options: ProtusClientOptions = { baseUrl, clientId, clientSecret, retries: { retries: 4, maxDelayMs: 10_000 } }
 * ```
 */
export interface ProtusClientOptions {
  /** Where your server reaches PROTUS, such as `https://protus.example`. */
  baseUrl: string
  clientId: string
  clientSecret: string
  /** A fetch implementation; Node's own by default. */
  fetch?: typeof fetch
  /** Retries on network errors and 5xx: a count (default 2) or the full backoff settings. */
  retries?: number | RetryOptions
  /** Per-attempt timeout in ms; default 30000. */
  timeoutMs?: number
  /** The issuer you expect (RFC 8414), when `baseUrl` is an internal address; by default the metadata's. */
  issuer?: string
  /** How long an introspection answer is reused, in ms; default 5000, 0 turns the cache off. */
  introspectionCacheMs?: number
  /** Waits between retries; tests replace it to run without real delays. */
  sleep?: (ms: number) => Promise<void>
}

/** A direct user of yours, for whom PROTUS keeps a managed account and wallet. */
export interface DirectUser {
  /** Your own id for the user; the account is found again by it. */
  externalId: string
  email?: string
  username?: string
}

/** A list's or report's parameters as its query: `created` as `created[gte]` and `created[lt]`. */
function paymentQuery({
  created,
  ...rest
}: PaymentListParams | RevenueReportParams | ListBalanceTransactionsParams): Record<string, unknown> {
  const iso = (v: Date | string | undefined) => (v instanceof Date ? v.toISOString() : v)
  return { ...rest, 'created[gte]': iso(created?.gte), 'created[lt]': iso(created?.lt) }
}

const path = (strings: TemplateStringsArray, ...ids: string[]) =>
  strings.reduce(
    (out, part, i) => out + part + (i < ids.length ? encodeURIComponent(ids[i] as string) : ''),
    '',
  )

function checkAmount(body: { amount?: unknown } | undefined): void {
  const amount = body?.amount
  if (amount !== undefined && !(Number.isSafeInteger(amount) && (amount as number) > 0)) {
    throw new TypeError(`amount must be a positive integer of minor units, got ${String(amount)}`)
  }
}

/**
 * A typed client for the PROTUS partner API (`/v1`), authenticated with your client credentials.
 * Every POST carries an `Idempotency-Key` (yours or a random one) that its retries reuse; network
 * errors, 5xx and 409 `idempotency_request_in_progress` are retried with exponential backoff and
 * jitter, other refusals never; refusals throw {@link ProtusError}. Amounts are integer minor units.
 *
 * @example
 * ```ts
 * import { createProtusClient } from '@protus/sdk'
 *
 * const protus = createProtusClient({
 *   baseUrl: 'https://protus.example',
 *   clientId: process.env.PROTUS_CLIENT_ID!,
 *   clientSecret: process.env.PROTUS_CLIENT_SECRET!,
 * })
 * const charge = await protus.charges.create({ account: 'acct_…', service: 'svc_…' })
 * ```
 */
export function createProtusClient(options: ProtusClientOptions) {
  const transport = createTransport({
    baseUrl: options.baseUrl,
    authorization: basicAuthorization(options.clientId, options.clientSecret),
    fetch: options.fetch,
    retries: options.retries,
    timeoutMs: options.timeoutMs,
    sleep: options.sleep,
  })
  const get = <T>(p: string, query?: object, o?: RequestOptions) =>
    transport.request<T>({ method: 'GET', path: p, query: query as Record<string, string>, options: o })
  const post = <T>(p: string, body: object, o?: RequestOptions) => {
    checkAmount(body)
    return transport.request<T>({ method: 'POST', path: p, body, options: o })
  }
  /** A list at `p`, auto-paginating; `query` turns its parameters into the query string. */
  const paginated = <T extends { id: string }, P extends PageParams>(
    p: string,
    params: P,
    o?: RequestOptions,
    query: (params: P) => object = (q) => q,
  ): ListPromise<T> => listPages((q: P) => get<Page<T>>(p, query(q), o), params)

  const accounts = {
    /** Your accounts, newest first, with what each spent and holds. */
    list: (params: PageParams = {}, o?: RequestOptions) =>
      paginated<Account, PageParams>('/v1/accounts', params, o),
    get: (id: string, o?: RequestOptions) => get<Account>(path`/v1/accounts/${id}`, undefined, o),
    /** Available and held funds; needs the `check` scope. */
    balance: (id: string, o?: RequestOptions) => get<Balance>(path`/v1/accounts/${id}/balance`, undefined, o),
    /**
     * Opens or finds the managed account of a direct user. PROTUS answers the account opened
     * first for a known `externalId`; the key is derived from the user, so retries and repeated
     * calls with the same details are replays.
     */
    ensure: (user: DirectUser, o?: RequestOptions) =>
      post<Account>(
        '/v1/accounts',
        { external_id: user.externalId, email: user.email, username: user.username },
        { idempotencyKey: ensureKey(user), ...o },
      ),
    /**
     * A top-up link for a managed account: hand `checkout_url` to its user. With `return_url`
     * (on the origin of one of your redirect URIs) the payment page offers a way back.
     */
    createTopup: (id: string, body: { amount: number; return_url?: string }, o?: RequestOptions) =>
      post<Topup>(path`/v1/accounts/${id}/topups`, body, o),
    /** A managed account's top-ups, newest first: pending, succeeded and failed ones. */
    listTopups: (id: string, params: PageParams = {}, o?: RequestOptions) =>
      paginated<Topup, PageParams>(path`/v1/accounts/${id}/topups`, params, o),
  }

  return {
    accounts,
    /**
     * The managed account of one of your direct users, opened on first call (see `accounts.ensure`).
     *
     * @example
     * ```ts
     * const account = await protus.ensureAccount({ externalId: user.id, email: user.email })
     * await db.users.update(user.id, { protusAccount: account.id })
     * ```
     */
    ensureAccount: accounts.ensure,
    holds: {
      /** Reserves funds; needs `hold`. */
      create: (body: CreateHoldParams, o?: RequestOptions) => post<Hold>('/v1/holds', body, o),
      get: (id: string, o?: RequestOptions) => get<Hold>(path`/v1/holds/${id}`, undefined, o),
      /** Newest first; filter by account, service, creation time and status. */
      list: (params: ListHoldsParams = {}, o?: RequestOptions) =>
        paginated<Hold, ListHoldsParams>('/v1/holds', params, o, paymentQuery),
      /** Takes all of the hold, or `amount` of it (the rest is released); needs `charge`. */
      capture: (id: string, body: { amount?: number } = {}, o?: RequestOptions) =>
        post<Hold>(path`/v1/holds/${id}/capture`, body, o),
      /** Gives the held funds back; needs `hold`. */
      release: (id: string, o?: RequestOptions) => post<Hold>(path`/v1/holds/${id}/release`, {}, o),
    },
    charges: {
      /** Takes money at once; needs `charge`. */
      create: (body: CreateChargeParams, o?: RequestOptions) => post<Charge>('/v1/charges', body, o),
      get: (id: string, o?: RequestOptions) => get<Charge>(path`/v1/charges/${id}`, undefined, o),
      /**
       * Newest first; filter by account, service and creation time.
       *
       * @example
       * ```ts
       * const { data } = await protus.charges.list({ service: 'svc_…', created: { gte: new Date('2026-11-01T00:00:00Z') } })
       * ```
       */
      list: (params: PaymentListParams = {}, o?: RequestOptions) =>
        paginated<Charge, PaymentListParams>('/v1/charges', params, o, paymentQuery),
    },
    refunds: {
      /** Refunds what is left of a charge, or `amount` of it. */
      create: (charge: string, body: { amount?: number } = {}, o?: RequestOptions) =>
        post<Refund>(path`/v1/charges/${charge}/refunds`, body, o),
      /** Newest first; filter by charge, account, service (the charge's) and creation time. */
      list: (params: ListRefundsParams = {}, o?: RequestOptions) =>
        paginated<Refund, ListRefundsParams>('/v1/refunds', params, o, paymentQuery),
    },
    /**
     * What you earned and were paid, in one currency (RUB unless you name another): revenue
     * `available` to pay out, `pending_payouts` and `paid_out_total`.
     *
     * @example
     * ```ts
     * const { available, pending_payouts } = await protus.balance.retrieve({ currency: 'RUB' })
     * ```
     */
    balance: {
      retrieve: (params: { currency?: string } = {}, o?: RequestOptions) =>
        get<PartnerBalance>('/v1/balance', params, o),
    },
    balanceTransactions: {
      /**
       * Every movement of your balance, newest first; filter by type, service, account and
       * creation time.
       *
       * @example
       * ```ts
       * for await (const txn of protus.balanceTransactions.list({ type: 'refund', created: { gte: '2026-11-01T00:00:00Z' } })) {
       *   console.log(txn.source, txn.net)
       * }
       * ```
       */
      list: (params: ListBalanceTransactionsParams = {}, o?: RequestOptions) =>
        paginated<BalanceTransaction, ListBalanceTransactionsParams>(
          '/v1/balance_transactions',
          params,
          o,
          paymentQuery,
        ),
    },
    /** Payouts of your balance; you ask for them in the dashboard. */
    payouts: {
      /**
       * Newest first; filter by status.
       *
       * @example
       * ```ts
       * const pending = await protus.payouts.list({ status: 'pending' }).autoPagingToArray({ limit: 100 })
       * ```
       */
      list: (params: ListPayoutsParams = {}, o?: RequestOptions) =>
        paginated<Payout, ListPayoutsParams>('/v1/payouts', params, o),
      retrieve: (id: string, o?: RequestOptions) => get<Payout>(path`/v1/payouts/${id}`, undefined, o),
    },
    reports: {
      /**
       * Revenue by service, day or month (UTC), per currency.
       *
       * @example
       * ```ts
       * const { data } = await protus.reports.revenue({ group_by: 'month', created: { gte: '2026-01-01T00:00:00Z' } })
       * ```
       */
      revenue: (params: RevenueReportParams, o?: RequestOptions) =>
        get<RevenueReport>('/v1/reports/revenue', paymentQuery(params), o),
    },
    services: {
      list: (params: PageParams & { active?: boolean } = {}, o?: RequestOptions) =>
        paginated<Service, PageParams & { active?: boolean }>('/v1/services', params, o),
      get: (id: string, o?: RequestOptions) => get<Service>(path`/v1/services/${id}`, undefined, o),
      create: (
        body: { name: string; price: number; currency?: string; recurring?: Service['recurring'] },
        o?: RequestOptions,
      ) => post<Service>('/v1/services', body, o),
      /** Renames, reprices, archives (`active: false`) or restores a service. */
      update: (id: string, body: { name?: string; price?: number; active?: boolean }, o?: RequestOptions) =>
        transport.request<Service>({ method: 'PATCH', path: path`/v1/services/${id}`, body, options: o }),
    },
    /**
     * Recurring services: PROTUS charges the first period at once and every next one when it is
     * due, without you doing anything; the `subscription.*` webhooks tell you what happened.
     *
     * @example
     * ```ts
     * const pro = await protus.subscriptions.create(
     *   { account: user.protusAccount, service: 'svc_…' },
     *   { idempotencyKey: `pro-${user.id}` },
     * )
     * console.log(pro.status, pro.current_period_end, pro.next_charge_at)
     * ```
     */
    subscriptions: {
      /**
       * Starts a subscription and charges its first period in the same transaction; needs `charge`.
       * A refusal (402 `insufficient_funds` or `spending_limit_exceeded`, 403 `grant_revoked` or
       * `insufficient_scope`, 422 `service_inactive` or `service_not_recurring`) throws
       * {@link ProtusError} and leaves no subscription. Carries an `Idempotency-Key` (yours or a
       * random one) like `charges.create`, so a retried call starts one subscription.
       *
       * @example
       * ```ts
       * const sub = await protus.subscriptions.create({ account: 'acct_…', service: 'svc_…', quantity: 2 })
       * ```
       */
      create: (body: CreateSubscriptionParams, o?: RequestOptions) =>
        post<Subscription>('/v1/subscriptions', body, o),
      /**
       * One of your subscriptions as it is now.
       *
       * @example
       * ```ts
       * const { status, next_charge_at } = await protus.subscriptions.retrieve('sub_…')
       * ```
       */
      retrieve: (id: string, o?: RequestOptions) =>
        get<Subscription>(path`/v1/subscriptions/${id}`, undefined, o),
      /**
       * Your subscriptions, newest first; filter by account, status or service.
       *
       * @example
       * ```ts
       * const { data } = await protus.subscriptions.list({ account: 'acct_…', status: 'active' })
       * ```
       */
      list: (params: ListSubscriptionsParams = {}, o?: RequestOptions) =>
        paginated<Subscription, ListSubscriptionsParams>('/v1/subscriptions', params, o),
      /**
       * Cancels at the end of the paid period (the default) or at once (`at_period_end: false`);
       * a `past_due` subscription ends at once. No refund. A canceled one: 409 `subscription_canceled`.
       *
       * @example
       * ```ts
       * const sub = await protus.subscriptions.cancel('sub_…') // cancel_at_period_end: true
       * await protus.subscriptions.cancel('sub_…', { at_period_end: false }) // status: 'canceled'
       * ```
       */
      cancel: (id: string, body: CancelSubscriptionParams = {}, o?: RequestOptions) =>
        post<Subscription>(path`/v1/subscriptions/${id}/cancel`, body, o),
    },
    /**
     * The sandbox clock (a sandbox server started with `PROTUS_TEST_CLOCK=true`; elsewhere these
     * calls throw 404 `not_found`): move PROTUS's time forward to see renewals, retries and
     * expiries happen, like Stripe's test clocks.
     *
     * @example
     * ```ts
     * const { now } = await protus.sandbox.clock()
     * await protus.sandbox.advanceClock(31 * 24 * 3600) // renewals due in between run first
     * ```
     */
    sandbox: {
      /**
       * The server's time now.
       *
       * @example
       * ```ts
       * const available = await protus.sandbox.clock().then(() => true, () => false)
       * ```
       */
      clock: (o?: RequestOptions) => get<SandboxClock>('/v1/sandbox/clock', undefined, o),
      /**
       * Moves the server's time forward by `seconds` (1 to 31622400) and answers once everything
       * that came due in between ran, in time order (renewals, retries, hold expiry, webhooks).
       * Sent once and never retried: PROTUS does not deduplicate a move, so a repeat would move
       * the clock twice. Read `clock()` after a failure to see where it stands.
       *
       * @example
       * ```ts
       * const { now } = await protus.sandbox.advanceClock(24 * 3600)
       * ```
       */
      advanceClock: (seconds: number, o?: RequestOptions) => {
        if (!(Number.isSafeInteger(seconds) && seconds > 0)) {
          throw new TypeError(`seconds must be a positive integer, got ${String(seconds)}`)
        }
        return transport.request<SandboxClock>({
          method: 'POST',
          path: '/v1/sandbox/clock',
          body: { advance_seconds: seconds },
          idempotent: false,
          once: true,
          options: o,
        })
      },
    },
    webhookDeliveries: {
      list: (params: ListWebhookDeliveriesParams = {}, o?: RequestOptions) =>
        paginated<WebhookDelivery, ListWebhookDeliveriesParams>('/v1/webhook-deliveries', params, o),
      get: (id: string, o?: RequestOptions) =>
        get<WebhookDelivery>(path`/v1/webhook-deliveries/${id}`, undefined, o),
      /** Sends a delivery again within about a second. */
      retry: (id: string, o?: RequestOptions) =>
        post<WebhookDelivery>(path`/v1/webhook-deliveries/${id}/retry`, {}, o),
    },
    company: {
      get: (o?: RequestOptions) => get<Company>('/v1/company', undefined, o),
      /** Renames the company or sets its redirect URIs (compared byte for byte) or webhook URL. */
      update: (
        body: { name?: string; redirect_uris?: string[]; webhook_url?: string | null },
        o?: RequestOptions,
      ) => transport.request<Company>({ method: 'PATCH', path: '/v1/company', body, options: o }),
      /** Where your webhooks go and whether that endpoint is enabled. */
      webhookEndpoint: (o?: RequestOptions) => get<WebhookEndpoint>('/v1/company/webhooks', undefined, o),
      /** Sends a `ping` event to your webhook URL. */
      sendTestWebhook: (o?: RequestOptions) => post<WebhookDelivery>('/v1/company/webhooks/test', {}, o),
    },
    /** Sign in with PROTUS and tokens, with the same credentials. */
    oauth: createProtusOAuth(options),
  }
}

/** The client {@link createProtusClient} returns. */
export type ProtusClient = ReturnType<typeof createProtusClient>

/** One key per user and details: a retry replays, changed details just find the account again. */
function ensureKey(user: DirectUser): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([user.externalId, user.email ?? null, user.username ?? null]))
    .digest('base64url')
  return `ensure-account-${digest}`
}
