import { Type } from 'typebox'
import { Timestamp } from '../../lib/schemas.js'
import { SUPPORTED_SCOPES } from './scopes.js'

const closed = { additionalProperties: false } as const
const Scope = Type.Unsafe<string>({ type: 'string', enum: [...SUPPORTED_SCOPES] })

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
})

/** Form parameters arrive as strings; each endpoint checks the ones it needs. */
export const Form = Type.Record(Type.String(), Type.String())

export const AuthorizationRequestView = Type.Object(
  {
    id: Type.String(),
    client: Type.Object({ client_id: Type.String(), name: Type.String() }, closed),
    redirect_uri: Type.String(),
    scopes: Type.Array(Type.Object({ scope: Scope, granted: Type.Boolean() }, closed)),
    expires_at: Timestamp,
  },
  closed,
)

export const DecisionBody = Type.Object(
  { allow: Type.Boolean(), scopes: Type.Optional(Type.Array(Scope, { maxItems: 5 })) },
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
  },
  closed,
)
