import { Type } from 'typebox'
import { PageQuery, PublicId, Timestamp } from '../../lib/schemas.js'

const closed = { additionalProperties: false } as const
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const SubscriptionStatus = Type.Union(
  [Type.Literal('active'), Type.Literal('past_due'), Type.Literal('canceled')],
  {
    description:
      'active: the current period is paid; past_due: the next period was refused and is retried; canceled: ended',
  },
)

const CancelReason = Type.Union(
  ['payment_failed', 'grant_revoked', 'service_archived', 'canceled_by_partner', 'canceled_by_person'].map(
    (r) => Type.Literal(r),
  ),
)

const Metadata = Type.Record(Type.String({ minLength: 1, maxLength: 40 }), Type.String({ maxLength: 500 }), {
  maxProperties: 20,
  description: 'Up to 20 string keys with values of at most 500 characters',
})

/** The fields a partner and a person both read. */
const common = {
  id: PublicId('sub'),
  account: PublicId('acct'),
  service: PublicId('svc'),
  quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
  amount: Type.Unsafe<bigint | number>({
    type: 'integer',
    description:
      'Integer minor units charged every period: the service price when the subscription started times quantity, fixed for its life',
  }),
  currency: Type.String(),
  interval: Type.Union(['day', 'week', 'month', 'year'].map((i) => Type.Literal(i))),
  interval_count: Type.Integer({ minimum: 1, maximum: 365 }),
  status: SubscriptionStatus,
  current_period_start: Timestamp,
  current_period_end: Type.Unsafe<Date | string>({
    type: 'string',
    format: 'date-time',
    description: 'The end of the last paid period',
  }),
  cancel_at_period_end: Type.Boolean(),
  next_charge_at: Nullable(
    Type.Unsafe<Date | string>({
      type: 'string',
      format: 'date-time',
      description:
        'When the next charge is tried: current_period_end while active, the next retry while past due; null when none will be',
    }),
  ),
  next_retry_at: Nullable(Timestamp),
  last_payment_error: Nullable(
    Type.Object(
      { code: Type.String(), message: Type.String() },
      { ...closed, description: 'The last refused renewal; null after a success' },
    ),
  ),
  canceled_at: Nullable(Timestamp),
  cancel_reason: Nullable(CancelReason),
  latest_charge: Nullable(PublicId('ch')),
  created_at: Timestamp,
}

export const Subscription = Type.Object(
  { ...common, metadata: Type.Record(Type.String(), Type.String()) },
  {
    ...closed,
    $id: 'Subscription',
    description:
      'A subscription to a recurring service. Period n runs from n intervals after created_at to n+1 (UTC, month ends kept: Jan 31 → Feb 28/29 → Mar 31).',
  },
)

export const PersonSubscription = Type.Object(
  {
    ...common,
    client_id: Type.String({ description: 'The partner’s OAuth client id, as connected services name it' }),
    partner_name: Type.String(),
    service_name: Type.String(),
  },
  { ...closed, $id: 'PersonSubscription' },
)

export const CreateSubscriptionBody = Type.Object(
  {
    account: Type.String({ maxLength: 64 }),
    service: Type.String({ maxLength: 64, description: 'An active recurring service of yours' }),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    metadata: Type.Optional(Metadata),
  },
  closed,
)

export const CancelSubscriptionBody = Type.Object(
  {
    at_period_end: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'true (the default): ends at current_period_end without another charge; false: ends now. A past-due subscription ends now either way.',
      }),
    ),
  },
  closed,
)

export const SubscriptionListQuery = Type.Object(
  {
    ...PageQuery('sub'),
    account: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(SubscriptionStatus),
    service: Type.Optional(Type.String({ maxLength: 64 })),
  },
  closed,
)

export const SubscriptionParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, closed)

/** The `data` of `subscription.renewed`: the subscription after the period was paid, and its charge. */
export const SubscriptionRenewed = Type.Object(
  { subscription: Type.Ref('Subscription'), charge: Type.Ref('Charge') },
  { ...closed, $id: 'SubscriptionRenewed' },
)

/** The `data` of `subscription.payment_failed`. */
export const SubscriptionPaymentFailed = Type.Object(
  {
    subscription: Type.Ref('Subscription'),
    code: Type.String({
      description: 'The refusal: insufficient_funds, spending_limit_exceeded, grant_revoked, …',
    }),
    next_retry_at: Nullable(
      Type.Unsafe<Date | string>({
        type: 'string',
        format: 'date-time',
        description: 'When it is tried again; null when it will not be (the subscription is canceled)',
      }),
    ),
  },
  { ...closed, $id: 'SubscriptionPaymentFailed' },
)

export const subscriptionsSchemas = [Subscription, PersonSubscription]
export const subscriptionEventSchemas = [SubscriptionRenewed, SubscriptionPaymentFailed]
