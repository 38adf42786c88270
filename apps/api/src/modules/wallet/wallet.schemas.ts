import { Type } from 'typebox'
import { idPattern } from '../../lib/ids.js'
import { MinorUnits, Timestamp } from '../../lib/schemas.js'
import { ENTRY_KINDS } from './wallet.entries.js'

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
    kind: Type.Union(ENTRY_KINDS.map((k) => Type.Literal(k))),
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

const period = {
  'created[gte]': Type.Optional(
    Type.String({ format: 'date-time', description: 'Only what happened at or after this time (ISO 8601)' }),
  ),
  'created[lt]': Type.Optional(
    Type.String({ format: 'date-time', description: 'Only what happened before this time (ISO 8601)' }),
  ),
}

/** The filters of the statement, as a list and as CSV; they combine (all must hold). */
const statementFilters = {
  partner: Type.Optional(
    Type.String({ pattern: idPattern('co'), description: 'Only movements with this partner (`co_…`)' }),
  ),
  kind: Type.Optional(
    Type.Union(
      ENTRY_KINDS.map((k) => Type.Literal(k)),
      { description: 'Only lines of this kind' },
    ),
  ),
  ...period,
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description: 'Only lines whose description contains this text, in any letter case; empty: every line',
    }),
  ),
}

export const EntriesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    starting_after: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'The id of the last entry already seen' }),
    ),
    ...statementFilters,
  },
  closed,
)

export const EntriesExportQuery = Type.Object(statementFilters, closed)

export const SpendingQuery = Type.Object(
  {
    group_by: Type.Union([Type.Literal('month'), Type.Literal('partner')], {
      description: 'month: each UTC month of the period, by partner; partner: each partner over the period',
    }),
    ...period,
  },
  closed,
)

const Spent = Type.Unsafe<bigint | number>({
  type: 'integer',
  description:
    'Charges (captures included) less refunds, in minor units; below zero when refunds of earlier charges outweigh',
})

export const SpendingByMonth = Type.Object(
  {
    group_by: Type.Literal('month'),
    currency: Type.String(),
    data: Type.Array(
      Type.Object(
        {
          key: Type.String({ description: 'The month, YYYY-MM (UTC)' }),
          spent: Spent,
          partners: Type.Array(
            Type.Object(
              {
                partner: Type.String({ description: 'The partner (`co_…`)' }),
                name: Type.String(),
                spent: Spent,
              },
              closed,
            ),
            { description: 'Each partner with a charge or refund in the month, most spent first' },
          ),
        },
        closed,
      ),
      { description: 'Every month of the period, oldest first, also those with nothing spent' },
    ),
  },
  { ...closed, $id: 'SpendingByMonth' },
)

export const SpendingByPartner = Type.Object(
  {
    group_by: Type.Literal('partner'),
    currency: Type.String(),
    data: Type.Array(
      Type.Object(
        {
          key: Type.String({ description: 'The partner (`co_…`)' }),
          name: Type.String(),
          spent: Spent,
          charges_count: Type.Integer({ description: 'Charges and captures in the period' }),
        },
        closed,
      ),
      { description: 'Each partner with a charge or refund in the period, most spent first' },
    ),
  },
  { ...closed, $id: 'SpendingByPartner' },
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

export const walletSchemas = [Wallet, Entry, PartnerAccount, SpendingByMonth, SpendingByPartner]
