import { Type } from 'typebox'
import { Email, Password, PublicId, Timestamp } from '../../lib/schemas.js'

const closed = { additionalProperties: false } as const

export const Username = Type.String({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9._-]+$' })
export const CompanyName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })

/** The language PROTUS writes to the account in; without it, the request's Accept-Language decides. */
const Locale = Type.Optional(
  Type.Union([Type.Literal('en'), Type.Literal('ru')], {
    description: 'Language of the emails PROTUS sends; default from Accept-Language, else en',
  }),
)

export const RegisterCustomerBody = Type.Object(
  { email: Email, username: Username, password: Password, locale: Locale },
  closed,
)
export const RegisterCompanyBody = Type.Object(
  { email: Email, name: CompanyName, password: Password, locale: Locale },
  closed,
)
export const SignInBody = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: 256 }),
    kind: Type.Optional(
      Type.Union([Type.Literal('customer'), Type.Literal('company')], {
        description:
          'Which account of the email to sign in to. Without it, the one the password opens; when it opens both, 409 account_kind_ambiguous.',
      }),
    ),
  },
  closed,
)

export const Customer = Type.Object(
  { id: PublicId('cus'), email: Type.String(), username: Type.String(), created_at: Timestamp },
  { ...closed, $id: 'Customer' },
)

export const CompanyCreated = Type.Object(
  {
    id: PublicId('co'),
    name: Type.String(),
    email: Type.String(),
    client_id: Type.String(),
    client_secret: Type.String({ description: 'Shown only now; PROTUS keeps a SHA-256 digest.' }),
    webhook_secret: Type.String({
      description: 'Standard Webhooks signing secret (whsec_…); shown only now.',
    }),
    created_at: Timestamp,
  },
  { ...closed, $id: 'CompanyCreated' },
)

export const Me = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('customer'),
        id: PublicId('cus'),
        email: Type.String(),
        username: Type.String(),
        email_verified: Type.Boolean({ description: 'Whether the person followed the link PROTUS mailed' }),
        csrf_token: Type.String(),
      },
      closed,
    ),
    Type.Object(
      {
        kind: Type.Literal('company'),
        id: PublicId('co'),
        email: Type.String(),
        name: Type.String(),
        email_verified: Type.Boolean({ description: 'Whether the company followed the link PROTUS mailed' }),
        csrf_token: Type.String(),
      },
      closed,
    ),
  ],
  { $id: 'Me', description: 'Who the session belongs to, with the token for the X-CSRF-Token header' },
)

export const SessionState = Type.Union(
  [
    Type.Object({ signed_in: Type.Literal(false) }, closed),
    Type.Object({ signed_in: Type.Literal(true), me: Type.Ref('Me') }, closed),
  ],
  { $id: 'SessionState', description: 'Whether the request carries a live session, and whose it is' },
)

const SecretInfo = Type.Object(
  { hint: Type.String(), created_at: Timestamp, expires_at: Type.Union([Timestamp, Type.Null()]) },
  closed,
)

export const Company = Type.Object(
  {
    id: PublicId('co'),
    name: Type.String(),
    email: Type.String(),
    client_id: Type.String(),
    redirect_uris: Type.Array(Type.String()),
    webhook_url: Type.Union([Type.String(), Type.Null()]),
    client_secrets: Type.Array(SecretInfo),
    webhook_secrets: Type.Array(SecretInfo),
    created_at: Timestamp,
  },
  { ...closed, $id: 'Company' },
)

const CallbackUrl = Type.String({ minLength: 1, maxLength: 2000 })

export const CompanyPatchBody = Type.Object(
  {
    name: Type.Optional(CompanyName),
    webhook_url: Type.Optional(Type.Union([CallbackUrl, Type.Null()])),
    redirect_uris: Type.Optional(Type.Array(CallbackUrl, { maxItems: 10 })),
  },
  closed,
)

export const RotateSecretBody = Type.Object(
  {
    previous_expires_in: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 86_400,
        description:
          'Seconds the previous secrets keep working (default: the server’s overlap, one day); 0 ends them now, on every server within a second.',
      }),
    ),
    two_factor_code: Type.Optional(
      Type.String({
        pattern: '^[0-9]{6}$',
        description:
          'Needed when the company requires two-factor for secret rotation (403 two_factor_required).',
      }),
    ),
    two_factor_recovery_code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  closed,
)

export const RotatedClientSecret = Type.Object(
  { client_secret: Type.String(), previous_expires_at: Timestamp },
  closed,
)
export const RotatedWebhookSecret = Type.Object(
  { webhook_secret: Type.String(), previous_expires_at: Timestamp },
  closed,
)
