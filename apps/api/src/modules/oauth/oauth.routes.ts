import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { sessionToken } from '../../plugins/auth.js'
import type { IdentityService } from '../identity/identity.service.js'
import { pageLanguage } from '../topups/page-texts.js'
import type { AuthorizeQuery, AuthorizeService } from './authorize.service.js'
import { authenticateClient } from './client-auth.js'
import { authorizeErrorPage, errorPageHeaders } from './error-page.js'
import { AuthorizePageError, OauthError, oauthErrorOf } from './oauth.errors.js'
import { Form, Introspection, OauthErrorBody, TokenResponse, UserInfo } from './oauth.schemas.js'
import { SUPPORTED_SCOPES } from './scopes.js'
import type { TokensService } from './tokens.service.js'

const tags = ['Sign in with PROTUS']

/** Form bodies (RFC 6749 §3.2): every parameter once. */
function parseForm(body: string): Record<string, string> {
  const form: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(body)) {
    if (key in form) throw new OauthError('invalid_request', `parameter ${key} is repeated`)
    form[key] = value
  }
  return form
}

/**
 * The authorization server's OAuth endpoints. Errors here are RFC 6749 JSON (`error`,
 * `error_description`), not problem+json; the authorization endpoint redirects them when the
 * client and redirect URI are trusted and shows a page otherwise.
 */
export const oauthRoutes: FastifyPluginAsyncTypebox<{
  identity: IdentityService
  authorize: AuthorizeService
  tokens: TokensService
  issuer: string
}> = async (app, { identity, authorize, tokens, issuer }) => {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, parseForm(body as string))
      } catch (error) {
        done(error as Error, undefined)
      }
    },
  )

  app.setErrorHandler((error, request, reply) => {
    const oauth = oauthErrorOf(error)
    // A malformed authorization request names no client to trust: a page, as for an unknown client.
    const malformedAuthorization =
      request.routeOptions.url === '/oauth/authorize' && !(error instanceof OauthError) && oauth.status < 500
    if (error instanceof AuthorizePageError || malformedAuthorization) {
      const reason = error instanceof AuthorizePageError ? error.reason : 'malformed'
      const language = pageLanguage(undefined, request.headers['accept-language'])
      return reply
        .status(400)
        .headers(errorPageHeaders)
        .send(authorizeErrorPage(reason, (error as Error).message, language))
    }
    if (error instanceof OauthError && error.redirect) return reply.redirect(error.redirect, 302)
    if (oauth.error === 'server_error') request.log.error({ err: error }, 'oauth request failed')
    if (oauth.error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="PROTUS"')
    if (oauth.error === 'invalid_token') reply.header('www-authenticate', 'Bearer error="invalid_token"')
    return reply.status(oauth.status).header('cache-control', 'no-store').send(oauth.toJSON())
  })

  const form = (request: FastifyRequest) => (request.body ?? {}) as Record<string, string | undefined>

  app.get(
    '/.well-known/oauth-authorization-server',
    { schema: { tags, summary: 'Authorization server metadata (RFC 8414)' } },
    async () => ({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      userinfo_endpoint: `${issuer}/oauth/userinfo`,
      scopes_supported: [...SUPPORTED_SCOPES],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      authorization_response_iss_parameter_supported: true,
      service_documentation: `${issuer}/docs`,
    }),
  )

  app.get(
    '/oauth/authorize',
    {
      schema: {
        tags,
        summary: 'Authorization endpoint: authorization code with PKCE S256',
        querystring: Type.Record(Type.String(), Type.String()),
      },
    },
    async (request, reply) => {
      const query = request.query as AuthorizeQuery
      const valid = await authorize.validate(query)
      const token = sessionToken(request)
      const session = token ? await identity.resolveSession(token, { ip: request.ip }) : undefined
      const customerId = session?.principal.kind === 'customer' ? session.principal.id : undefined
      const outcome = await authorize.authorize(valid, customerId)
      reply.header('cache-control', 'no-store')
      if (outcome.kind === 'sign_in') {
        return reply.redirect(`/sign-in?kind=customer&redirect=${encodeURIComponent(request.url)}`, 302)
      }
      if (outcome.kind === 'consent') return reply.redirect(`/consent/${outcome.requestId}`, 302)
      return reply.redirect(outcome.location, 302)
    },
  )

  app.post(
    '/oauth/token',
    {
      schema: {
        tags,
        summary: 'Token endpoint: authorization_code and refresh_token (with rotation)',
        consumes: ['application/x-www-form-urlencoded'],
        body: Form,
        response: { 200: TokenResponse, 400: OauthErrorBody, 401: OauthErrorBody },
      },
    },
    async (request, reply) => {
      const client = await authenticateClient(identity, request, form(request))
      const issued = await tokens.token(client, form(request))
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(issued)
    },
  )

  app.post(
    '/oauth/introspect',
    {
      schema: {
        tags,
        summary: 'Token introspection (RFC 7662)',
        consumes: ['application/x-www-form-urlencoded'],
        body: Form,
        response: { 200: Introspection, 400: OauthErrorBody, 401: OauthErrorBody },
      },
    },
    async (request, reply) => {
      const client = await authenticateClient(identity, request, form(request))
      return reply
        .header('cache-control', 'no-store')
        .send(await tokens.introspect(client, form(request).token))
    },
  )

  app.post(
    '/oauth/revoke',
    {
      schema: {
        tags,
        summary: 'Token revocation (RFC 7009)',
        consumes: ['application/x-www-form-urlencoded'],
        body: Form,
        response: { 200: Type.Null(), 400: OauthErrorBody, 401: OauthErrorBody },
      },
    },
    async (request, reply) => {
      const client = await authenticateClient(identity, request, form(request))
      await tokens.revoke(client, form(request).token)
      return reply.status(200).send(null)
    },
  )

  const userinfo = async (request: FastifyRequest) => {
    const header = request.headers.authorization
    const bearer = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined
    return tokens.userinfo(bearer)
  }
  const userinfoSchema = {
    tags,
    summary: 'The person behind an access token',
    response: { 200: UserInfo, 401: OauthErrorBody },
  }
  app.get('/oauth/userinfo', { schema: userinfoSchema }, userinfo)
  app.post('/oauth/userinfo', { schema: userinfoSchema }, userinfo)
}
