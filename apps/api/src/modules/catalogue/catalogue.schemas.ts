import { Type } from 'typebox'
import { PublicId, Timestamp } from '../../lib/schemas.js'

const closed = { additionalProperties: false } as const

export const MAX_PRICE = 1_000_000_000_000

const ServiceName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })
const Price = Type.Integer({
  minimum: 1,
  maximum: MAX_PRICE,
  description: 'Integer minor units (kopecks for RUB)',
})
const Recurring = Type.Object(
  {
    interval: Type.Union([
      Type.Literal('day'),
      Type.Literal('week'),
      Type.Literal('month'),
      Type.Literal('year'),
    ]),
    count: Type.Integer({ minimum: 1, maximum: 365 }),
  },
  closed,
)

export const Service = Type.Object(
  {
    id: PublicId('svc'),
    name: Type.String(),
    price: Type.Integer(),
    currency: Type.String(),
    recurring: Type.Union([Recurring, Type.Null()]),
    active: Type.Boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { ...closed, $id: 'Service' },
)

export const CreateServiceBody = Type.Object(
  {
    name: ServiceName,
    price: Price,
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, default RUB' })),
    recurring: Type.Optional(Type.Union([Recurring, Type.Null()])),
  },
  closed,
)

export const UpdateServiceBody = Type.Object(
  {
    name: Type.Optional(ServiceName),
    price: Type.Optional(Price),
    active: Type.Optional(Type.Boolean({ description: 'false archives the service, true restores it' })),
  },
  { ...closed, minProperties: 1 },
)

export const ServiceParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, closed)
