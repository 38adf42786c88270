import { Type } from 'typebox'
import { MinorUnits, PageQuery, PublicId, Timestamp } from '../../lib/schemas.js'

const closed = { additionalProperties: false } as const
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const MAX_AMOUNT = 1_000_000_000_000
const Amount = Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'Integer minor units' })
const Money = MinorUnits
const Scopes = Type.Array(Type.Union([Type.Literal('check'), Type.Literal('hold'), Type.Literal('charge')]))
const Metadata = Type.Record(Type.String({ minLength: 1, maxLength: 40 }), Type.String({ maxLength: 500 }), {
  maxProperties: 20,
  description: 'Up to 20 string keys with values of at most 500 characters',
})
const Description = Type.String({ maxLength: 500 })
const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) }, closed)

export { IdParam }

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Required: 1 to 255 characters, unique per logical operation' }),
  ),
})

export const SpendingLimit = Nullable(
  Type.Object(
    {
      monthly: Money,
      remaining: Money,
      resets_at: Timestamp,
    },
    {
      ...closed,
      description:
        'The monthly limit the person set for this partner (calendar month, UTC), with the `check` scope; null when there is none. remaining is the limit less this month’s charges (after refunds) and the open holds.',
    },
  ),
)

export const Account = Type.Object(
  {
    id: PublicId('acct'),
    kind: Type.Union([Type.Literal('protus'), Type.Literal('managed')]),
    external_id: Nullable(Type.String()),
    email: Nullable(Type.String()),
    username: Nullable(Type.String()),
    currency: Type.String(),
    scopes: Scopes,
    spent: Money,
    held: Money,
    refunded: Money,
    last_activity_at: Nullable(Timestamp),
    spending_limit: SpendingLimit,
    created_at: Timestamp,
  },
  { ...closed, $id: 'Account' },
)

export const CreateAccountBody = Type.Object(
  {
    external_id: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "The partner's own id for its user",
    }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  closed,
)

export const Balance = Type.Object(
  {
    account: PublicId('acct'),
    currency: Type.String(),
    available: Money,
    held: Money,
    spending_limit: SpendingLimit,
  },
  { ...closed, $id: 'Balance' },
)

export const Hold = Type.Object(
  {
    id: PublicId('hold'),
    object: Type.Literal('hold'),
    account: PublicId('acct'),
    amount: Money,
    currency: Type.String(),
    service: Nullable(Type.String()),
    quantity: Nullable(Type.Integer()),
    description: Nullable(Type.String()),
    metadata: Type.Record(Type.String(), Type.String()),
    status: Type.Union(['pending', 'captured', 'released', 'expired'].map((s) => Type.Literal(s))),
    captured_amount: Money,
    charge: Nullable(Type.Object({ id: PublicId('ch'), amount: Money }, closed)),
    expires_at: Timestamp,
    created_at: Timestamp,
    resolved_at: Nullable(Timestamp),
  },
  { ...closed, $id: 'Hold' },
)

export const Charge = Type.Object(
  {
    id: PublicId('ch'),
    object: Type.Literal('charge'),
    account: PublicId('acct'),
    amount: Money,
    currency: Type.String(),
    service: Nullable(Type.String()),
    quantity: Nullable(Type.Integer()),
    description: Nullable(Type.String()),
    metadata: Type.Record(Type.String(), Type.String()),
    hold: Nullable(Type.String()),
    status: Type.Literal('succeeded'),
    amount_refunded: Money,
    created_at: Timestamp,
  },
  { ...closed, $id: 'Charge' },
)

export const Refund = Type.Object(
  {
    id: PublicId('re'),
    object: Type.Literal('refund'),
    charge: PublicId('ch'),
    account: PublicId('acct'),
    amount: Money,
    created_at: Timestamp,
  },
  { ...closed, $id: 'Refund' },
)

const priced = {
  account: Type.String({ maxLength: 64 }),
  amount: Type.Optional(Amount),
  service: Type.Optional(Type.String({ maxLength: 64 })),
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  description: Type.Optional(Description),
  metadata: Type.Optional(Metadata),
}
/** Exactly one of amount and service; quantity only with a service. */
const oneOfAmountOrService = {
  oneOf: [
    { required: ['amount'], not: { anyOf: [{ required: ['service'] }, { required: ['quantity'] }] } },
    { required: ['service'], not: { required: ['amount'] } },
  ],
}

export const CreateHoldBody = Type.Object(
  {
    ...priced,
    expires_in: Type.Optional(
      Type.Integer({ minimum: 60, maximum: 604_800, description: 'Seconds, at most 7 days; default 604800' }),
    ),
  },
  { ...closed, ...oneOfAmountOrService },
)
export const CreateChargeBody = Type.Object(priced, { ...closed, ...oneOfAmountOrService })
export const CaptureBody = Type.Object({ amount: Type.Optional(Amount) }, closed)
export const RefundBody = Type.Object({ amount: Type.Optional(Amount) }, closed)
export const ReleaseBody = Type.Object({}, closed)

/** The filters every list of holds, charges and refunds takes. */
const paymentFilters = {
  account: Type.Optional(Type.String({ maxLength: 64, description: 'Only this account’s (`acct_…`)' })),
  service: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'Only those of this service (`svc_…`); a refund, its charge’s',
    }),
  ),
  'created[gte]': Type.Optional(
    Type.String({ format: 'date-time', description: 'Only those created at or after this time (ISO 8601)' }),
  ),
  'created[lt]': Type.Optional(
    Type.String({ format: 'date-time', description: 'Only those created before this time (ISO 8601)' }),
  ),
}

const RevenueGroupBy = Type.Union(
  (['service', 'day', 'month'] as const).map((g) => Type.Literal(g)),
  { description: 'service: the charge’s service (null for an amount); day, month: in UTC' },
)

export const RevenueQuery = Type.Object(
  {
    group_by: RevenueGroupBy,
    'created[gte]': paymentFilters['created[gte]'],
    'created[lt]': paymentFilters['created[lt]'],
  },
  closed,
)

export const RevenueReport = Type.Object(
  {
    group_by: RevenueGroupBy,
    data: Type.Array(
      Type.Object(
        {
          key: Type.Union([Type.String(), Type.Null()], {
            description:
              'The service id (null: charges of an amount), the day (YYYY-MM-DD) or month (YYYY-MM)',
          }),
          currency: Type.String(),
          charges_count: Type.Integer({ description: 'Charges created under the key (captures included)' }),
          gross: MinorUnits,
          refunds: Type.Unsafe<bigint | number>({
            type: 'integer',
            description: 'Refunds made under the key (a day or month: when made), of its charges’ service',
          }),
          net: Type.Unsafe<bigint | number>({ type: 'integer', description: 'gross − refunds' }),
        },
        closed,
      ),
    ),
  },
  { ...closed, $id: 'RevenueReport' },
)

export const HoldListQuery = Type.Object(
  {
    ...PageQuery('hold'),
    ...paymentFilters,
    status: Type.Optional(
      Type.Union(
        (['pending', 'captured', 'released', 'expired'] as const).map((s) => Type.Literal(s)),
        { description: 'A pending hold past its expiry is expired' },
      ),
    ),
  },
  closed,
)
export const ChargeListQuery = Type.Object(
  {
    ...PageQuery('ch'),
    ...paymentFilters,
    status: Type.Optional(Type.Literal('succeeded', { description: 'Every charge is succeeded' })),
  },
  closed,
)
/** `GET /v1/charges.csv`: the list's filters, every row. */
export const ChargeExportQuery = Type.Object(
  {
    ...paymentFilters,
    status: Type.Optional(Type.Literal('succeeded', { description: 'Every charge is succeeded' })),
  },
  closed,
)
export const RefundListQuery = Type.Object(
  {
    ...PageQuery('re'),
    ...paymentFilters,
    charge: Type.Optional(
      Type.String({ maxLength: 64, description: 'Only the refunds of this charge (`ch_…`)' }),
    ),
  },
  closed,
)

const Signed = (description: string) => Type.Unsafe<bigint | number>({ type: 'integer', description })
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. RUB' })

export const PartnerBalance = Type.Object(
  {
    object: Type.Literal('balance'),
    currency: Type.String(),
    available: Signed(
      'Revenue not yet paid out and not in a pending payout; below zero only when the operator allows refunds past it',
    ),
    pending_payouts: Money,
    paid_out_total: Money,
  },
  {
    ...closed,
    $id: 'PartnerBalance',
    description: 'Read from the ledger: your revenue accounts, the payouts in flight and those paid',
  },
)

export const BalanceQuery = Type.Object(
  { currency: Type.Optional({ ...Currency, description: 'Default: RUB' }) },
  closed,
)

const BalanceTransactionType = Type.Union(
  (['charge', 'refund', 'payout', 'payout_reversal'] as const).map((t) => Type.Literal(t)),
)

export const BalanceTransaction = Type.Object(
  {
    id: Type.String({ description: '`txn_` and its source’s id; a payout’s reversal ends in `_reversal`' }),
    object: Type.Literal('balance_transaction'),
    type: BalanceTransactionType,
    amount: Signed('Signed minor units: charges and payout reversals add, refunds and payouts take away'),
    fee: Money,
    net: Signed('amount − fee'),
    currency: Type.String(),
    source: Type.String({ description: 'The charge (`ch_…`), refund (`re_…`) or payout (`po_…`)' }),
    service: Nullable(Type.String()),
    account: Nullable(Type.String()),
    description: Nullable(Type.String()),
    created_at: Timestamp,
  },
  { ...closed, $id: 'BalanceTransaction' },
)

export const BalanceTransactionListQuery = Type.Object(
  {
    limit: PageQuery('ch').limit,
    starting_after: Type.Optional(Type.String({ maxLength: 80, description: 'A balance transaction’s id' })),
    type: Type.Optional(BalanceTransactionType),
    ...paymentFilters,
  },
  closed,
)

/** `GET /v1/balance_transactions.csv`: the list's filters, every row. */
export const BalanceTransactionExportQuery = Type.Object(
  { type: Type.Optional(BalanceTransactionType), ...paymentFilters },
  closed,
)

const PayoutStatus = Type.Union((['pending', 'paid', 'failed'] as const).map((s) => Type.Literal(s)))

export const Payout = Type.Object(
  {
    id: PublicId('po'),
    object: Type.Literal('payout'),
    amount: Money,
    currency: Type.String(),
    description: Nullable(Type.String()),
    status: PayoutStatus,
    reference: Nullable(Type.String({ description: 'The operator’s reference of the transfer, once paid' })),
    failure_reason: Nullable(Type.String()),
    created_at: Timestamp,
    paid_at: Nullable(Timestamp),
    failed_at: Nullable(Timestamp),
  },
  { ...closed, $id: 'Payout' },
)

export const CreatePayoutBody = Type.Object(
  {
    amount: Amount,
    currency: Type.Optional({ ...Currency, description: 'Default: RUB' }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  closed,
)

export const PayoutListQuery = Type.Object(
  { ...PageQuery('po'), status: Type.Optional(PayoutStatus) },
  closed,
)

export const billingSchemas = [
  Account,
  Balance,
  Hold,
  Charge,
  Refund,
  RevenueReport,
  PartnerBalance,
  BalanceTransaction,
  Payout,
]
