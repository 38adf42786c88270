import { Type } from 'typebox'
import { Timestamp } from '../../lib/schemas.js'

const closed = { additionalProperties: false } as const

export const TotpCode = Type.String({
  pattern: '^[0-9]{6}$',
  description: 'The 6-digit code the authenticator app shows now.',
})
const RecoveryCode = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'One of the recovery codes given when two-factor was turned on; each works once.',
})

/** A code or a recovery code: the service refuses both or neither with 400 validation_failed. */
const proof = { code: Type.Optional(TotpCode), recovery_code: Type.Optional(RecoveryCode) }

export const TwoFactorSignInBody = Type.Object(
  { challenge_id: Type.String({ minLength: 1, maxLength: 128 }), ...proof },
  closed,
)
export const TwoFactorProofBody = Type.Object(proof, closed)
export const TwoFactorConfirmBody = Type.Object({ code: TotpCode }, closed)
export const TwoFactorPolicyBody = Type.Object(
  { required_for_secret_rotation: Type.Boolean(), ...proof },
  closed,
)

export const SignInChallenge = Type.Object(
  {
    two_factor_required: Type.Literal(true),
    challenge_id: Type.String({ description: 'Send it to POST /v1/sessions/two-factor with the code.' }),
    expires_at: Timestamp,
  },
  { ...closed, $id: 'SignInChallenge', description: 'The password was right; a two-factor code is needed.' },
)

export const TwoFactorStatus = Type.Object(
  {
    enabled: Type.Boolean(),
    recovery_codes_left: Type.Integer(),
    required_for_secret_rotation: Type.Boolean({
      description: 'Companies: rotating a secret needs a code. Always false for people.',
    }),
  },
  { ...closed, $id: 'TwoFactorStatus' },
)

export const TwoFactorEnrolment = Type.Object(
  {
    secret: Type.String({ description: 'The key in base32, for typing into the app by hand.' }),
    otpauth_uri: Type.String(),
    qr_code: Type.String({ description: 'The otpauth URI as an SVG QR code, in a data: URL.' }),
  },
  closed,
)

export const RecoveryCodes = Type.Object(
  { recovery_codes: Type.Array(Type.String(), { description: 'Shown only now; PROTUS keeps digests.' }) },
  closed,
)
