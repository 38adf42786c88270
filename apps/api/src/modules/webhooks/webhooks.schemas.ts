import { Type } from 'typebox'
import { PageQuery, PublicId, Timestamp } from '../../lib/schemas.js'
import { eventTypes } from './webhook-events.js'

const closed = { additionalProperties: false } as const
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

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
