import { createHmac, timingSafeEqual } from 'node:crypto'
import { type components, webhookEventTypes as generatedEventTypes, type webhooks } from './generated/wire.js'

type Schemas = components['schemas']

/**
 * A grant a person gave (`grant.created`, on every consent), changed (`grant.updated`: the
 * scopes or the monthly limit) or took back (`grant.revoked`). `monthly_limit` is what the person
 * lets you take in a calendar month (UTC), in minor units; null: no limit.
 */
export type GrantData = Schemas['GrantData']

/**
 * A released hold. `reason` is set when PROTUS released it for the person: `grant_revoked` (the
 * person revoked your access) or `scope_removed` (the person took the `charge` scope away).
 */
export type ReleasedHold = Schemas['ReleasedHold']

/** The body PROTUS posts for an event type. */
type EventBody<T extends keyof webhooks> = NonNullable<
  webhooks[T]['post']['requestBody']
>['content']['application/json']

/**
 * Each event type and its `data`: the object as the API answers it (`charge.succeeded` is also
 * sent when a hold is captured, with the new charge; `wallet.topped_up` concerns managed accounts
 * only; `ping` is the test event). `subscription.created`, `subscription.updated` (the
 * `cancel_at_period_end` switch) and `subscription.canceled` carry the `Subscription`;
 * `subscription.renewed` a {@link SubscriptionRenewal}; `subscription.payment_failed` a
 * {@link SubscriptionPaymentFailure}.
 */
export type WebhookEventMap = { [T in keyof webhooks]: EventBody<T>['data'] }

/**
 * `subscription.renewed`: the subscription with its new paid period, and the charge that paid it
 * (also sent as `charge.succeeded`).
 */
export type SubscriptionRenewal = WebhookEventMap['subscription.renewed']

/**
 * `subscription.payment_failed`: a renewal was refused (`code`: `insufficient_funds`,
 * `spending_limit_exceeded`, `grant_revoked`, `insufficient_scope` or `service_inactive`); the
 * subscription is `past_due` and tried again at `next_retry_at` (null: no retry is left, and a
 * `subscription.canceled` follows).
 */
export type SubscriptionPaymentFailure = WebhookEventMap['subscription.payment_failed']

/** An event type PROTUS sends. */
export type WebhookEventType = keyof WebhookEventMap

/**
 * Every event type PROTUS sends, at run time (to subscribe a handler to all of them, say).
 *
 * @example
 * ```ts
 * const handlers = Object.fromEntries(webhookEventTypes.map((type) => [type, record]))
 * ```
 */
export const webhookEventTypes: typeof generatedEventTypes = generatedEventTypes

/**
 * A verified event; switch on `type` to narrow `data`.
 *
 * @example
 * ```ts
 * function onEvent(event: WebhookEvent) {
 *   switch (event.type) {
 *     case 'charge.succeeded': return ledger.record(event.data.id, event.data.amount)
 *     case 'grant.revoked': return sessions.dropAccount(event.data.account)
 *     case 'subscription.renewed': return plans.paidUntil(event.data.subscription.id, event.data.subscription.current_period_end)
 *   }
 * }
 * ```
 */
export type WebhookEvent = {
  [T in WebhookEventType]: {
    /** The `webhook-id` (`evt_…`): the same for every retry of this event. */
    id: string
    type: T
    /** When the event happened (ISO 8601). */
    timestamp: string
    data: WebhookEventMap[T]
  }
}[WebhookEventType]

/** Why a webhook was refused. */
export type WebhookVerificationReason =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'invalid_secret'
  | 'no_matching_signature'
  | 'invalid_payload'

/**
 * A webhook that is not authentic, too old or too new, or not an event: answer it with 400.
 *
 * @example
 * ```ts
 * try { verifyWebhook(secret, req.headers, req.body) } catch (e) {
 *   if (e instanceof WebhookVerificationError) return res.status(400).end()
 *   throw e
 * }
 * ```
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError'
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super(message)
  }
}

/** Request headers as Node (`IncomingHttpHeaders`), fetch (`Headers`) or a plain object give them. */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>

export interface VerifyOptions {
  /** Accepted clock difference in seconds, both ways; default 300. */
  toleranceSeconds?: number
  /** The clock, in ms since the epoch. */
  now?: () => number
}

function header(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const record = headers as Record<string, string | string[] | undefined>
  const key = Object.keys(record).find((k) => k.toLowerCase() === name)
  const value = key === undefined ? undefined : record[key]
  return Array.isArray(value) ? value.join(' ') : value
}

/** The HMAC key of a `whsec_…` secret: the base64 after the prefix. */
function keyOf(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64')
  if (key.length === 0) throw new WebhookVerificationError('invalid_secret', 'the webhook secret is empty')
  return key
}

/**
 * Verifies a webhook per Standard Webhooks and answers its event: the `webhook-timestamp` must
 * be within 5 minutes of now (either way), and one of the space-separated `v1,` signatures in
 * `webhook-signature` must be the HMAC-SHA256 of `id.timestamp.body` under a secret (compared
 * in constant time). Pass several secrets while you rotate yours. Verify the exact bytes
 * received: a body parsed and serialized again no longer matches.
 *
 * @example
 * ```ts
 * import { verifyWebhook } from '@protus/sdk/webhooks'
 *
 * const event = verifyWebhook(process.env.PROTUS_WEBHOOK_SECRET!, req.headers, rawBody)
 * if (event.type === 'charge.succeeded') await markPaid(event.data.metadata.order)
 * ```
 */
export function verifyWebhook(
  secret: string | readonly string[],
  headers: HeadersLike,
  rawBody: string | Uint8Array,
  options: VerifyOptions = {},
): WebhookEvent {
  const id = header(headers, 'webhook-id')
  const timestamp = header(headers, 'webhook-timestamp')
  const signatures = header(headers, 'webhook-signature')
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError(
      'missing_headers',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    )
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp is not unix seconds')
  }
  const tolerance = options.toleranceSeconds ?? 300
  const skew = Math.floor((options.now ?? Date.now)() / 1000) - Number(timestamp)
  if (skew > tolerance) throw new WebhookVerificationError('timestamp_too_old', 'the webhook is too old')
  if (skew < -tolerance)
    throw new WebhookVerificationError('timestamp_too_new', 'the webhook is from the future')

  const body = typeof rawBody === 'string' ? Buffer.from(rawBody) : Buffer.from(rawBody)
  const presented = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'))
  const secrets = typeof secret === 'string' ? [secret] : secret
  const matched = secrets.some((s) => {
    const expected = createHmac('sha256', keyOf(s)).update(`${id}.${timestamp}.`).update(body).digest()
    return presented.some((p) => p.length === expected.length && timingSafeEqual(p, expected))
  })
  if (!matched) throw new WebhookVerificationError('no_matching_signature', 'no signature matches')

  let event: { type?: unknown; timestamp?: unknown; data?: unknown }
  try {
    event = JSON.parse(body.toString('utf8'))
  } catch {
    throw new WebhookVerificationError('invalid_payload', 'the body is not JSON')
  }
  if (typeof event?.type !== 'string' || typeof event.data !== 'object' || event.data === null) {
    throw new WebhookVerificationError('invalid_payload', 'the body is not an event')
  }
  return { id, type: event.type, timestamp: event.timestamp, data: event.data } as WebhookEvent
}

/**
 * Remembers the webhook ids already handled, so a redelivered event is reported as a
 * duplicate. Back it with your database or Redis to share it between processes.
 *
 * @example
 * ```ts
 * const seen: SeenStore = {
 *   has: async (id) => (await db.query('SELECT 1 FROM webhook_ids WHERE id = $1', [id])).rowCount > 0,
 *   add: async (id) => void (await db.query('INSERT INTO webhook_ids VALUES ($1) ON CONFLICT DO NOTHING', [id])),
 * }
 * ```
 */
export interface SeenStore {
  has(id: string): boolean | Promise<boolean>
  /** Called after the event was handled successfully. */
  add(id: string): void | Promise<void>
}

/**
 * An in-memory {@link SeenStore} for one process: ids are kept for `ttlMs` (default 3 days, as
 * long as PROTUS retries) and at most `max` of them (default 100000).
 *
 * @example
 * ```ts
 * const seen = createMemorySeenStore({ max: 10_000 })
 * ```
 */
export function createMemorySeenStore(
  options: { ttlMs?: number; max?: number; now?: () => number } = {},
): SeenStore {
  const ttl = options.ttlMs ?? 3 * 24 * 3600_000
  const max = options.max ?? 100_000
  const now = options.now ?? Date.now
  const ids = new Map<string, number>()
  return {
    has(id) {
      const until = ids.get(id)
      if (until === undefined) return false
      if (until > now()) return true
      ids.delete(id)
      return false
    },
    add(id) {
      ids.delete(id)
      if (ids.size >= max) ids.delete(ids.keys().next().value as string)
      ids.set(id, now() + ttl)
    },
  }
}

/** Your code for each event type you care about; other types are acknowledged and ignored. */
export type WebhookHandlers = {
  [T in WebhookEventType]?: (event: Extract<WebhookEvent, { type: T }>) => unknown
}

export interface WebhookReceiverOptions extends VerifyOptions {
  /** Where handled ids are remembered; an in-memory store by default. */
  seen?: SeenStore
  /** Called for an event already handled, instead of its handler. */
  onDuplicate?: (event: WebhookEvent) => unknown
}

/** What to answer PROTUS: 2xx stops retries, anything else makes it send the event again. */
export interface WebhookOutcome {
  status: 200 | 400
  body: { received: boolean; duplicate?: boolean; error?: string }
  event?: WebhookEvent
}

/**
 * The framework-free core of `createWebhookHandler`: verifies, skips duplicates, runs the
 * handler, and says what to answer. A handler that throws makes the call reject, so the
 * answer is a 5xx and PROTUS retries; the id is remembered only once a handler succeeded.
 *
 * @example
 * ```ts
 * const receive = createWebhookReceiver(secret, { 'charge.succeeded': (e) => markPaid(e.data) })
 * const { status, body } = await receive(request.headers, rawBody)
 * ```
 */
export function createWebhookReceiver(
  secret: string | readonly string[],
  handlers: WebhookHandlers,
  options: WebhookReceiverOptions = {},
) {
  const seen = options.seen ?? createMemorySeenStore()
  return async (headers: HeadersLike, rawBody: string | Uint8Array): Promise<WebhookOutcome> => {
    let event: WebhookEvent
    try {
      event = verifyWebhook(secret, headers, rawBody, options)
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error
      return { status: 400, body: { received: false, error: error.reason } }
    }
    if (await seen.has(event.id)) {
      await options.onDuplicate?.(event)
      return { status: 200, body: { received: true, duplicate: true }, event }
    }
    const handler = handlers[event.type] as ((e: WebhookEvent) => unknown) | undefined
    await handler?.(event)
    await seen.add(event.id)
    return { status: 200, body: { received: true }, event }
  }
}
