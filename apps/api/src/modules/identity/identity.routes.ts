import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { DomainError } from '../../lib/domain-error.js'
import { problemResponses } from '../../lib/schemas.js'
import { principalOf, sessionCookie, sessionToken } from '../../plugins/auth.js'
import type { AddressLimits } from '../limits/rate-limits.js'
import type { CompanySettingsService } from './company-settings.service.js'
import { localeOf } from './email-tokens.js'
import {
  CompanyCreated,
  Customer,
  Me,
  RegisterCompanyBody,
  RegisterCustomerBody,
  SessionState,
  SignInBody,
} from './identity.schemas.js'
import type { IdentityService, Session } from './identity.service.js'
import { TwoFactorSignInBody } from './two-factor.schemas.js'

const tags = ['Identity']

/** Registration, sign-in and the session's owner. */
export const identityRoutes: FastifyPluginAsyncTypebox<{
  identity: IdentityService
  companies: CompanySettingsService
  limits: Pick<AddressLimits, 'registrations'>
  /** Whether the account's current email is proven (email-tokens.ts). */
  emailVerified: (account: { kind: 'customer' | 'company'; id: string }) => Promise<boolean>
}> = async (app, { identity, companies, limits, emailVerified }) => {
  async function describe(session: Session) {
    const { principal, csrfToken } = session
    const email_verified = await emailVerified(principal)
    if (principal.kind === 'customer') {
      const c = await identity.getCustomer(principal.id)
      return {
        kind: 'customer' as const,
        id: c.id,
        email: c.email,
        username: c.username,
        email_verified,
        csrf_token: csrfToken,
      }
    }
    const c = await companies.getCompany(principal.id)
    return {
      kind: 'company' as const,
      id: c.id,
      email: c.email,
      name: c.name,
      email_verified,
      csrf_token: csrfToken,
    }
  }

  app.post(
    '/v1/customers',
    {
      config: { rateLimit: limits.registrations },
      schema: {
        tags,
        summary: 'Register a person',
        body: RegisterCustomerBody,
        response: { 201: Type.Ref('Customer'), ...problemResponses(400, 409, 429, 503) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await identity.registerCustomer({ ...request.body, locale: localeOf(request) })),
  )

  app.post(
    '/v1/companies',
    {
      config: { rateLimit: limits.registrations },
      schema: {
        tags,
        summary: 'Register a partner company',
        description: 'Returns the client secret and the webhook signing secret; they are not shown again.',
        body: RegisterCompanyBody,
        response: { 201: Type.Ref('CompanyCreated'), ...problemResponses(400, 409, 429, 503) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await identity.registerCompany({ ...request.body, locale: localeOf(request) })),
  )

  app.post(
    '/v1/sessions',
    {
      schema: {
        tags,
        summary: 'Sign in',
        description:
          'Sets the HttpOnly session cookie. For an account with two-factor sign-in on, answers 202 with a challenge instead and sets no cookie: POST /v1/sessions/two-factor with a code completes the sign-in. Requests that change state with that cookie must send the returned csrf_token in the X-CSRF-Token header. Without `kind`, signs in to the account of the email that the password opens, person or company; when it opens both, 409 account_kind_ambiguous asks for `kind`.',
        body: SignInBody,
        response: {
          201: Type.Ref('Me'),
          202: Type.Ref('SignInChallenge'),
          ...problemResponses(400, 401, 409, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const signedIn = await identity.signIn({
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      })
      if ('challenge' in signedIn)
        return reply.status(202).send({ two_factor_required: true as const, ...signedIn.challenge })
      const { token, session } = signedIn
      const cookie = sessionCookie(request)
      reply.setCookie(cookie.name, token, { ...cookie.options, expires: session.expiresAt })
      return reply.status(201).send(await describe(session))
    },
  )

  app.post(
    '/v1/sessions/two-factor',
    {
      schema: {
        tags,
        summary: 'Sign in: the two-factor code step',
        description:
          'Answers the challenge of a 202 from POST /v1/sessions with a code from the authenticator app or one unused recovery code (not both), and then signs in as POST /v1/sessions does. The challenge works once and for 5 minutes; wrong codes are slowed like wrong passwords (429 too_many_attempts).',
        body: TwoFactorSignInBody,
        response: { 201: Type.Ref('Me'), ...problemResponses(400, 401, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const { challenge_id: challengeId, ...proof } = request.body
      const { token, session } = await identity.completeSignIn({
        challengeId,
        ...proof,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      })
      const cookie = sessionCookie(request)
      reply.setCookie(cookie.name, token, { ...cookie.options, expires: session.expiresAt })
      return reply.status(201).send(await describe(session))
    },
  )

  app.get(
    '/v1/sessions',
    {
      schema: {
        tags,
        summary: 'Whether anyone is signed in',
        description:
          'Answers 200 with or without a session, so that a page can ask who is signed in without an error: `{"signed_in": false}` for a visitor, or the session\'s owner as GET /v1/me gives it. GET /v1/me answers 401 without a session instead.',
        response: { 200: Type.Ref('SessionState') },
      },
    },
    async (request) => {
      const token = sessionToken(request)
      const session = token ? await identity.resolveSession(token, { ip: request.ip }) : undefined
      return session
        ? { signed_in: true as const, me: await describe(session) }
        : { signed_in: false as const }
    },
  )

  app.delete(
    '/v1/sessions',
    {
      config: { auth: 'session' },
      schema: { tags, summary: 'Sign out', response: { 204: Type.Null(), ...problemResponses(401, 403) } },
    },
    async (request, reply) => {
      const token = sessionToken(request)
      if (token) await identity.signOut(token)
      const cookie = sessionCookie(request)
      reply.clearCookie(cookie.name, cookie.options)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/v1/me',
    {
      config: { auth: 'session' },
      schema: {
        tags,
        summary: 'Who is signed in',
        response: { 200: Type.Ref('Me'), ...problemResponses(401) },
      },
    },
    async (request) => {
      principalOf(request)
      if (!request.session) throw new DomainError('unauthenticated')
      return describe(request.session)
    },
  )
}

export const identitySchemas = [Customer, CompanyCreated, Me, SessionState]
