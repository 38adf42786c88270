import type { RateLimitOptions } from '@fastify/rate-limit'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { addressKey } from '../../lib/client-address.js'
import { Email, Password, problemResponses } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import type { EmailTokens } from './email-tokens.js'
import type { PasswordReset } from './password-reset.js'

const tags = ['Identity']
const closed = { additionalProperties: false } as const

/** Requests that mail a link, per client address (an IPv6 /64) per hour, on top of the per-recipient limit. */
export const LINK_REQUESTS_PER_ADDRESS_PER_HOUR = 30

const perAddress = (name: string): RateLimitOptions => ({
  max: LINK_REQUESTS_PER_ADDRESS_PER_HOUR,
  timeWindow: 3_600_000,
  hook: 'preHandler',
  keyGenerator: (request) => `${name}:${addressKey(request.ip)}`,
})

const Token = Type.String({ minLength: 1, maxLength: 200, description: 'The `token` of the mailed link' })
const Kind = Type.Union([Type.Literal('customer'), Type.Literal('company')])

export const PasswordResetRequestBody = Type.Object(
  {
    email: Email,
    kind: Type.Optional(Kind),
  },
  closed,
)
export const PasswordResetBody = Type.Object({ token: Token, password: Password }, closed)
export const EmailVerificationBody = Type.Object({ token: Token }, closed)
export const EmailChangeBody = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 256 }) },
  closed,
)
const LinkFollowed = Type.Object({ kind: Kind, email: Type.String() }, closed)
const PasswordSet = Type.Object({ kind: Kind }, closed)
const Accepted = Type.Object({ accepted: Type.Literal(true) }, closed)

/** Email verification, change of email and password reset by mailed links. */
export const emailTokenRoutes: FastifyPluginAsyncTypebox<{
  links: EmailTokens
  passwordReset: PasswordReset
}> = async (app, { links, passwordReset }) => {
  app.post(
    '/v1/password-resets',
    {
      config: { rateLimit: perAddress('password_resets') },
      schema: {
        tags,
        summary: 'Forgot password: mail a reset link',
        description:
          'Mails a link (valid 1 hour, single use) to the person and the company with this email (only `kind`’s when given). Answers 202 whether or not the email is registered, and does not say.',
        body: PasswordResetRequestBody,
        response: { 202: Accepted, ...problemResponses(400, 429, 503) },
      },
    },
    async (request, reply) => {
      await passwordReset.request(request.body)
      return reply.status(202).send({ accepted: true as const })
    },
  )

  app.post(
    '/v1/password-resets/complete',
    {
      config: { rateLimit: perAddress('password_reset_tokens') },
      schema: {
        tags,
        summary: 'Set a new password from a reset link',
        description:
          'Signs the account out of every session and mails a notice. An unknown or forged link is 400 link_invalid; a used or expired one 410 link_used or link_expired; nothing changes then.',
        body: PasswordResetBody,
        response: { 200: PasswordSet, ...problemResponses(400, 410, 429, 503) },
      },
    },
    async (request) => passwordReset.complete(request.body),
  )

  app.post(
    '/v1/email-verifications/complete',
    {
      config: { rateLimit: perAddress('email_verification_tokens') },
      schema: {
        tags,
        summary: 'Verify an email from a mailed link',
        description:
          'Proves the account’s email, or, for a link sent after a change of email, makes the new address the account’s (and tells the old one). Needs no session.',
        body: EmailVerificationBody,
        response: { 200: LinkFollowed, ...problemResponses(400, 409, 410, 429) },
      },
    },
    async (request) => links.verify(request.body.token),
  )

  app.post(
    '/v1/me/email-verification',
    {
      config: { auth: 'session', rateLimit: perAddress('email_verifications') },
      schema: {
        tags,
        summary: 'Send the verification link again',
        description:
          'At most 5 messages an hour to one address. 409 email_already_verified when the email is proven.',
        response: { 202: Accepted, ...problemResponses(401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      await links.resendVerification({ kind: principal.kind, id: principal.id })
      return reply.status(202).send({ accepted: true as const })
    },
  )

  app.post(
    '/v1/me/email',
    {
      config: { auth: 'session', rateLimit: perAddress('email_changes') },
      schema: {
        tags,
        summary: 'Change email',
        description:
          'Needs the current password. Mails a link (24 hours, single use) to the new address; the email changes when it is followed, and the old address is told.',
        body: EmailChangeBody,
        response: { 202: Accepted, ...problemResponses(400, 401, 403, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      await links.requestEmailChange({ kind: principal.kind, id: principal.id }, request.body)
      return reply.status(202).send({ accepted: true as const })
    },
  )
}
