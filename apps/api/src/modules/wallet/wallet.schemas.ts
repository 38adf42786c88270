import { Type } from 'typebox'
import { MinorUnits, Timestamp } from '../../lib/schemas.js'

const closed = { additionalProperties: false } as const
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Named = Type.Object({ id: Type.String(), name: Type.String() }, closed)

export const Wallet = Type.Object(
  {
    currency: Type.String(),
    available: MinorUnits,
    held: MinorUnits,
    posted: MinorUnits,
  },
  { ...closed, $id: 'Wallet', description: 'available = posted - held' },
)

export const Entry = Type.Object(
  {
    id: Type.String({
      description:
        'The ledger transfer id (with ":rest" for the line that gives back what a partial capture left of its hold); pass the last one as starting_after',
    }),
    kind: Type.Union(
      ['top_up', 'charge', 'hold', 'capture', 'release', 'expiry', 'refund'].map((k) => Type.Literal(k)),
    ),
    amount: MinorUnits,
    direction: Type.Union([Type.Literal('debit'), Type.Literal('credit')], {
      description: 'debit takes or reserves money; credit brings money in or gives held money back',
    }),
    available_change: Type.Unsafe<bigint | number>({
      type: 'integer',
      description:
        'Signed change of the available funds: balance_after of the line before plus this is this balance_after. ' +
        'A capture pays out of funds its hold already reserved, so its change is 0; the rest of a partial capture ' +
        'comes back as a release line of its own.',
    }),
    balance_after: Type.Unsafe<bigint | number>({
      type: 'integer',
      description: 'Available funds right after this movement',
    }),
    partner: Nullable(Named),
    service: Nullable(Named),
    subscription: Nullable(
      Type.String({ description: 'The subscription (sub_…) whose period this charge paid; null for others' }),
    ),
    description: Nullable(Type.String()),
    created_at: Timestamp,
  },
  { ...closed, $id: 'Entry' },
)

export const EntriesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    starting_after: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'The id of the last entry already seen' }),
    ),
  },
  closed,
)

export const PartnerAccount = Type.Object(
  {
    id: Type.String(),
    company: Named,
    spent: MinorUnits,
    held: MinorUnits,
    scopes: Type.Array(Type.Union([Type.Literal('check'), Type.Literal('hold'), Type.Literal('charge')])),
    created_at: Timestamp,
    last_activity_at: Nullable(Timestamp),
  },
  { ...closed, $id: 'PartnerAccount' },
)

export const walletSchemas = [Wallet, Entry, PartnerAccount]
