import { Type } from 'typebox'
import { MinorUnits, Timestamp } from '../../lib/schemas.js'
import { SUPPORTED_SCOPES } from './scopes.js'

const closed = { additionalProperties: false } as const
export const Scope = Type.Unsafe<string>({ type: 'string', enum: [...SUPPORTED_SCOPES] })

export const TokenResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
    refresh_token: Type.String(),
    scope: Type.String(),
  },
  closed,
)

export const OauthErrorBody = Type.Object({
  error: Type.String(),
  error_description: Type.Optional(Type.String()),
})

export const Introspection = Type.Object({
  active: Type.Boolean(),
  scope: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  sub: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Integer()),
  iat: Type.Optional(Type.Integer()),
  iss: Type.Optional(Type.String()),
  token_type: Type.Optional(Type.String()),
})

export const UserInfo = Type.Object({
  sub: Type.String(),
  preferred_username: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  email_verified: Type.Optional(
    Type.Boolean({ description: 'Beside email: whether the person followed the link PROTUS mailed to it' }),
  ),
})

/** Form parameters arrive as strings; each endpoint checks the ones it needs. */
export const Form = Type.Record(Type.String(), Type.String())

export const AuthorizationRequestView = Type.Object(
  {
    id: Type.String(),
    client: Type.Object({ client_id: Type.String(), name: Type.String() }, closed),
    redirect_uri: Type.String(),
    scopes: Type.Array(Type.Object({ scope: Scope, granted: Type.Boolean() }, closed), {
      description: 'The scopes asked for; granted: the person allowed it to this partner before',
    }),
    kept_scopes: Type.Array(Scope, {
      description:
        'Scopes the person allowed this partner before that the request does not ask for: they stay allowed whatever the answer',
    }),
    monthly_limit: Type.Union([MinorUnits, Type.Null()], {
      description: 'The monthly limit already set for this partner, if the person granted it before',
    }),
    expires_at: Timestamp,
  },
  { ...closed, $id: 'ConsentRequest', description: "A partner's request to act for the signed-in person" },
)

/** What a person lets a partner take in a calendar month (UTC), in minor units; null: no limit. */
export const MonthlyLimit = Type.Union(
  [Type.Integer({ minimum: 1, maximum: 1_000_000_000_000, description: 'Integer minor units' }), Type.Null()],
  { description: 'What the partner may take in a calendar month (UTC), in minor units; null for no limit' },
)

export const DecisionBody = Type.Object(
  {
    allow: Type.Boolean(),
    scopes: Type.Optional(Type.Array(Scope, { maxItems: 5 })),
    monthly_limit: Type.Optional(MonthlyLimit),
  },
  closed,
)

export const Grant = Type.Object(
  {
    client_id: Type.String(),
    company: Type.Object({ id: Type.String(), name: Type.String() }, closed),
    scopes: Type.Array(Scope),
    account_id: Type.String(),
    created_at: Timestamp,
    last_used_at: Type.Union([Timestamp, Type.Null()]),
    spent: Type.Integer(),
    monthly_limit: Type.Union([MinorUnits, Type.Null()]),
    spent_this_month: Type.Integer({
      description: 'This calendar month’s (UTC) charges and captures at the partner, less their refunds',
    }),
    limit_remaining: Type.Union([MinorUnits, Type.Null()], {
      description: 'The limit less spent_this_month and the open holds; null without a limit',
    }),
    limit_resets_at: Type.Union([Timestamp, Type.Null()], { description: 'When the month ends (UTC)' }),
    revoked_at: Type.Union([Timestamp, Type.Null()], {
      description: 'When the person took the access away; null while the partner is connected',
    }),
  },
  { ...closed, $id: 'Grant', description: 'A partner the signed-in person allowed to act for them' },
)

export const LimitBody = Type.Object({ monthly_limit: MonthlyLimit }, closed)

export const GrantsQuery = Type.Object(
  {
    include: Type.Optional(
      Type.Literal('revoked', {
        description:
          'Also the partners whose access the person revoked (and that are not connected again): the latest grant of each, with revoked_at',
      }),
    ),
  },
  closed,
)

/** The objects the person's consent and grant pages read. */
export const oauthSchemas = [AuthorizationRequestView, Grant]
