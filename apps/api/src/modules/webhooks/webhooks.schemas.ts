import { type TSchema, Type } from 'typebox'
import { MinorUnits, PageQuery, PublicId, Timestamp } from '../../lib/schemas.js'
import { Account, Charge, Hold, Payout, Refund } from '../billing/billing.schemas.js'
import { Scope } from '../oauth/oauth.schemas.js'
import {
  Subscription,
  SubscriptionPaymentFailed,
  SubscriptionRenewed,
} from '../subscriptions/subscriptions.schemas.js'
import { Topup } from '../topups/topups.schemas.js'

const closed = { additionalProperties: false } as const
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

/** A grant a person gave, changed (scopes or monthly limit) or took back. */
export const GrantData = Type.Object(
  {
    object: Type.Literal('grant'),
    account: PublicId('acct'),
    scopes: Type.Array(Scope),
    monthly_limit: Nullable(MinorUnits),
    created_at: Type.Optional(Timestamp),
    updated_at: Type.Optional(Timestamp),
    revoked_at: Type.Optional(Timestamp),
  },
  {
    ...closed,
    $id: 'GrantData',
    description: 'monthly_limit: what the person lets you take in a calendar month (UTC); null: no limit',
  },
)

/** A hold PROTUS may have released for the person, saying why. */
export const ReleasedHold = Type.Object(
  {
    ...Hold.properties,
    reason: Type.Optional(
      Type.Union([Type.Literal('grant_revoked'), Type.Literal('scope_removed')], {
        description:
          'Set when PROTUS released the hold for the person: they revoked your access, or took the charge scope away',
      }),
    ),
  },
  { ...closed, $id: 'ReleasedHold' },
)

export const ManagedTopup = Type.Object(
  { ...Topup.properties, account: PublicId('acct') },
  { ...closed, $id: 'ManagedTopup', description: 'A top-up of one of your managed accounts' },
)

export const Ping = Type.Object({ company: PublicId('co') }, { ...closed, $id: 'Ping' })

/**
 * Every event type a partner can receive, with its `data` (the object as the API answers it)
 * and what it means; `ping` is the test event.
 */
export const eventCatalogue = {
  'account.created': {
    data: Account,
    description: "A managed account was created, or a person's account on their first consent",
  },
  'grant.created': { data: GrantData, description: 'A person gave you access (on every consent)' },
  'grant.revoked': { data: GrantData, description: 'A person took your access back' },
  'grant.updated': { data: GrantData, description: 'A person changed the scopes or the monthly limit' },
  'hold.created': { data: Hold, description: 'Funds were held' },
  'hold.captured': { data: Hold, description: 'A hold was captured' },
  'hold.released': { data: ReleasedHold, description: 'A hold was released' },
  'hold.expired': { data: Hold, description: 'A hold expired and its funds came back' },
  'charge.succeeded': { data: Charge, description: 'A charge succeeded; also sent when a hold is captured' },
  'charge.refunded': { data: Refund, description: 'A charge was refunded' },
  'wallet.topped_up': { data: ManagedTopup, description: 'A managed account was topped up' },
  'subscription.created': {
    data: Subscription,
    description: 'A subscription started; its first period was charged (a charge.succeeded too)',
  },
  'subscription.renewed': {
    data: SubscriptionRenewed,
    description: 'The next period of a subscription was charged (a charge.succeeded too)',
  },
  'subscription.payment_failed': {
    data: SubscriptionPaymentFailed,
    description:
      'A renewal was refused: the subscription is past due until next_retry_at, or canceled when that was its last retry',
  },
  'subscription.updated': {
    data: Subscription,
    description: 'cancel_at_period_end was switched on: the subscription ends at current_period_end',
  },
  'subscription.canceled': {
    data: Subscription,
    description: 'A subscription ended; cancel_reason says why',
  },
  'payout.created': {
    data: Payout,
    description: 'You requested a payout; its amount left your available balance',
  },
  'payout.paid': {
    data: Payout,
    description: 'The operator paid a payout out (reference names the transfer)',
  },
  'payout.failed': {
    data: Payout,
    description: 'A payout failed (failure_reason says why); its amount is back in your available balance',
  },
  ping: { data: Ping, description: 'The test event' },
} as const satisfies Record<string, { data: TSchema; description: string }>

export type EventType = keyof typeof eventCatalogue
export const eventTypes = Object.keys(eventCatalogue) as EventType[]

/** `$ref` to the document's component that a schema's `$id` names. */
function componentRef(schema: TSchema): { $ref: string } {
  if (!('$id' in schema) || typeof schema.$id !== 'string')
    throw new Error('a documented object needs an $id')
  return { $ref: `#/components/schemas/${schema.$id}` }
}

/** OpenAPI 3.1 `webhooks`: what PROTUS POSTs to a partner's endpoint for each event type. */
export function webhooksDocument() {
  return Object.fromEntries(
    Object.entries(eventCatalogue).map(([type, { data, description }]) => [
      type,
      {
        post: {
          operationId: `webhook.${type}`,
          summary: description,
          description:
            'Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object' as const,
                  additionalProperties: false,
                  required: ['type', 'timestamp', 'data'],
                  properties: {
                    type: { type: 'string' as const, const: type },
                    timestamp: { type: 'string' as const, format: 'date-time' },
                    data: componentRef(data),
                  },
                },
              },
            },
          },
          responses: { '200': { description: 'Received: any 2xx stops the retries' } },
        },
      },
    ]),
  )
}

export const webhookEventSchemas = [
  GrantData,
  ReleasedHold,
  ManagedTopup,
  Ping,
  SubscriptionRenewed,
  SubscriptionPaymentFailed,
]

const EventType = Type.Union(
  eventTypes.map((t) => Type.Literal(t)),
  { description: 'The event type' },
)
const DeliveryStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('skipped')],
  {
    description:
      'pending: not delivered yet (retrying); succeeded: a 2xx answer; failed: the retry schedule ran out; skipped: no webhook URL was set when it was due',
  },
)

export const WebhookAttempt = Type.Object(
  {
    attempted_at: Timestamp,
    url: Type.String(),
    http_status: Nullable(Type.Integer()),
    error: Nullable(Type.String({ description: 'Why no answer arrived: timeout, connection refused, …' })),
    duration_ms: Type.Integer(),
    response_excerpt: Nullable(Type.String({ description: 'At most the first 1 KiB of the answer' })),
    succeeded: Type.Boolean(),
    manual: Type.Boolean({ description: 'Sent because of a manual retry' }),
  },
  closed,
)

export const WebhookDelivery = Type.Object(
  {
    id: PublicId('whd'),
    object: Type.Literal('webhook_delivery'),
    event: Type.Object(
      {
        id: PublicId('evt'),
        type: EventType,
        timestamp: Type.String({ format: 'date-time' }),
        data: Type.Unknown({ description: 'The object as the API answers it' }),
      },
      closed,
    ),
    status: DeliveryStatus,
    attempt_count: Type.Integer(),
    next_attempt_at: Nullable(Timestamp),
    created_at: Timestamp,
    completed_at: Nullable(Timestamp),
    attempts: Type.Array(WebhookAttempt, { description: 'Every attempt, oldest first' }),
  },
  { ...closed, $id: 'WebhookDelivery' },
)

export const WebhookEndpoint = Type.Object(
  {
    url: Nullable(Type.String()),
    status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled'), Type.Literal('not_set')]),
    disabled_at: Nullable(Timestamp),
    disabled_reason: Nullable(Type.String()),
  },
  { ...closed, $id: 'WebhookEndpoint' },
)

export const DeliveryListQuery = Type.Object(
  { ...PageQuery('whd'), status: Type.Optional(DeliveryStatus), type: Type.Optional(EventType) },
  closed,
)

export const DeliveryParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, closed)

export const webhooksSchemas = [WebhookDelivery, WebhookEndpoint]
