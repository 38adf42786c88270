import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { DomainError } from '../../lib/domain-error.js'
import { Password, problemResponses, Timestamp } from '../../lib/schemas.js'
import { principalOf, sessionCookie } from '../../plugins/auth.js'
import { pageLanguage } from '../topups/page-texts.js'
import type { SessionsService } from './sessions.service.js'

const tags = ['Identity']
const closed = { additionalProperties: false } as const

export const AccountSession = Type.Object(
  {
    id: Type.String({ pattern: '^ses_' }),
    current: Type.Boolean({ description: 'The session of this request.' }),
    browser: Type.Union([Type.String(), Type.Null()], {
      description: 'The browser, as the user agent names it ("Firefox"); null when it does not say.',
    }),
    os: Type.Union([Type.String(), Type.Null()], {
      description: 'The operating system ("Windows", "iOS"); null when the user agent does not say.',
    }),
    user_agent: Type.String({ description: 'The User-Agent header of the sign-in, at most 512 characters.' }),
    address: Type.String({ description: 'The client address the session was last used from.' }),
    created_at: Timestamp,
    last_seen_at: Timestamp,
    expires_at: Timestamp,
  },
  { ...closed, $id: 'AccountSession' },
)

const SessionList = Type.Object({ data: Type.Array(Type.Ref('AccountSession')) }, closed)
const SignedOut = Type.Object(
  { signed_out: Type.Integer({ minimum: 0, description: 'How many sessions were ended.' }) },
  closed,
)

export const ChangePasswordBody = Type.Object(
  {
    current_password: Type.String({ minLength: 1, maxLength: 256 }),
    new_password: Password,
    locale: Type.Optional(
      Type.Union([Type.Literal('en'), Type.Literal('ru')], {
        description: 'The language of the notice email; without it, the first of Accept-Language.',
      }),
    ),
  },
  closed,
)

/** The session of a request that passed `auth: 'session'`. */
function currentSession(request: FastifyRequest) {
  const principal = principalOf(request)
  if (!request.session) throw new DomainError('unauthenticated')
  return { principal, sessionId: request.session.id }
}

/** The signed-in devices of the account (person or company) and its password. */
export const sessionsRoutes: FastifyPluginAsyncTypebox<{ sessions: SessionsService }> = async (
  app,
  { sessions },
) => {
  app.get(
    '/v1/me/sessions',
    {
      config: { auth: 'session' },
      schema: {
        tags,
        summary: 'Where the account is signed in',
        description:
          'Every live session of the account, the most recently seen first; `current` marks this one.',
        response: { 200: SessionList, ...problemResponses(401) },
      },
    },
    async (request) => {
      const { principal, sessionId } = currentSession(request)
      return { data: await sessions.list(principal, sessionId) }
    },
  )

  app.delete(
    '/v1/me/sessions/:id',
    {
      config: { auth: 'session' },
      schema: {
        tags,
        summary: 'Sign one session out',
        description:
          'Ends one session of the account; the device is signed out at its next request. Ending the current session signs this browser out too (the cookie is cleared).',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, closed),
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { principal, sessionId } = currentSession(request)
      await sessions.signOut(principal, request.params.id)
      if (request.params.id === sessionId) {
        const cookie = sessionCookie(request)
        reply.clearCookie(cookie.name, cookie.options)
      }
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/v1/me/sessions/sign-out-others',
    {
      config: { auth: 'session' },
      schema: {
        tags,
        summary: 'Sign out everywhere else',
        description: 'Ends every session of the account except the current one.',
        response: { 200: SignedOut, ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const { principal, sessionId } = currentSession(request)
      return { signed_out: await sessions.signOutOthers(principal, sessionId) }
    },
  )

  app.post(
    '/v1/me/password',
    {
      config: { auth: 'session' },
      schema: {
        tags,
        summary: 'Change the password',
        description:
          'Needs the current password. Sets the new one, signs out every other session of the account and emails the account a notice. At most 10 attempts per account an hour (429 too_many_attempts).',
        body: ChangePasswordBody,
        response: { 200: SignedOut, ...problemResponses(400, 401, 403, 429, 503) },
      },
    },
    async (request) => {
      const { principal, sessionId } = currentSession(request)
      const { signedOut } = await sessions.changePassword({
        principal,
        currentSessionId: sessionId,
        currentPassword: request.body.current_password,
        newPassword: request.body.new_password,
        locale: pageLanguage(request.body.locale, request.headers['accept-language']),
      })
      return { signed_out: signedOut }
    },
  )
}

export const sessionsSchemas = [AccountSession]
