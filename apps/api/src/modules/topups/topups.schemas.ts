import { Type } from 'typebox'
import { idPattern } from '../../lib/ids.js'
import { PageQuery, PublicId, Timestamp } from '../../lib/schemas.js'

const closed = { additionalProperties: false } as const

export const CreateTopupBody = Type.Object(
  {
    amount: Type.Integer({
      minimum: 1,
      maximum: 1_000_000_000_000,
      description: 'Integer minor units to add to the wallet',
    }),
  },
  closed,
)

export const CreateManagedTopupBody = Type.Object(
  {
    amount: CreateTopupBody.properties.amount,
    return_url: Type.Optional(
      Type.String({
        maxLength: 2048,
        description:
          'Where the payment page offers to send the user back to; on the origin of one of your redirect URIs',
      }),
    ),
  },
  closed,
)

export const TopupParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, closed)

export const TopupsQuery = Type.Object(PageQuery('top'), closed)

export const TopupHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Required: 1 to 255 characters, unique per logical operation' }),
  ),
})

export const Topup = Type.Object(
  {
    id: PublicId('top'),
    account: Type.Optional(
      Type.String({
        pattern: idPattern('acct'),
        description: 'The managed account topped up (partner top-ups only)',
      }),
    ),
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
    amount: Type.Integer({ description: 'Integer minor units' }),
    currency: Type.String(),
    checkout_url: Type.Union([Type.String({ format: 'uri' }), Type.Null()], {
      description: "The provider's payment page; hand it to the payer",
    }),
    created_at: Timestamp,
    completed_at: Type.Union([Timestamp, Type.Null()]),
  },
  { ...closed, $id: 'Topup' },
)

export const SandboxEventBody = Type.Object(
  {
    payment_id: Type.String(),
    outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  },
  { ...closed, description: 'Signed: x-sandbox-signature is the hex HMAC-SHA256 of the raw body' },
)

export const CheckoutForm = Type.Object(
  { outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]) },
  closed,
)

export const CheckoutParams = Type.Object({ paymentId: Type.String({ maxLength: 64 }) }, closed)

/** `lang`: the language the web app speaks; any other value, or none, defers to Accept-Language. */
export const CheckoutQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 35 })) })

export const topupsSchemas = [Topup]
