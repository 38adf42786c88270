import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problemResponses } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import type { AuthorizeService } from './authorize.service.js'
import type { GrantsService } from './grants.service.js'
import { DecisionBody, GrantsQuery, LimitBody } from './oauth.schemas.js'

const config = { auth: 'customer' as const }
const tags = ['Connected services']
const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false })
const ClientIdParam = Type.Object(
  { client_id: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
)

/** The person's side of Sign in with PROTUS: consent and connected services. */
export const grantRoutes: FastifyPluginAsyncTypebox<{
  authorize: AuthorizeService
  grants: GrantsService
}> = async (app, { authorize, grants }) => {
  app.get(
    '/v1/oauth/requests/:id',
    {
      config,
      schema: {
        tags,
        summary: 'An authorization request waiting for consent',
        params: IdParam,
        response: { 200: Type.Ref('ConsentRequest'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => authorize.describeRequest(principalOf(request).id, request.params.id),
  )

  app.post(
    '/v1/oauth/requests/:id/decision',
    {
      config,
      schema: {
        tags,
        summary: 'Allow (with the scopes switched on) or deny; answers where to send the browser',
        params: IdParam,
        body: DecisionBody,
        response: {
          200: Type.Object({ redirect_to: Type.String() }),
          ...problemResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      redirect_to: await authorize.decide(principalOf(request).id, request.params.id, request.body),
    }),
  )

  app.get(
    '/v1/me/grants',
    {
      config,
      schema: {
        tags,
        summary: 'Partners with access to the person’s account',
        description:
          'The connected partners, newest first. With include=revoked, then the partners the person disconnected, most recently revoked first, with what they spent.',
        querystring: GrantsQuery,
        response: {
          200: Type.Object({ data: Type.Array(Type.Ref('Grant')) }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) =>
      grants.list(principalOf(request).id, { includeRevoked: request.query.include === 'revoked' }),
  )

  app.put(
    '/v1/me/grants/:client_id/limit',
    {
      config,
      schema: {
        tags,
        summary: 'Set or remove the monthly spending limit of a partner',
        description:
          'What the partner may take in a calendar month (UTC): its charges and captures of the month less their refunds, plus its open holds. Holds and charges past it are refused with 402 spending_limit_exceeded; null removes the limit. The partner gets a grant.updated webhook.',
        params: ClientIdParam,
        body: LimitBody,
        response: { 200: Type.Ref('Grant'), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      grants.setLimit(principalOf(request).id, request.params.client_id, request.body.monthly_limit),
  )

  app.delete(
    '/v1/me/grants/:client_id',
    {
      config,
      schema: {
        tags,
        summary: 'Revoke a partner’s access at once',
        params: ClientIdParam,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await grants.revoke(principalOf(request).id, request.params.client_id)
      return reply.status(204).send(null)
    },
  )
}
