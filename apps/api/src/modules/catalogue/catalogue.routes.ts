import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Page, PageQuery, partnerSecurity, problemResponses } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { honourIdempotencyKey, jsonResponse } from '../../plugins/idempotent.js'
import type { IdempotencyService } from '../idempotency/idempotency.service.js'
import { CreateServiceBody, ServiceParams, UpdateServiceBody } from './catalogue.schemas.js'
import type { CatalogueService } from './catalogue.service.js'

const tags = ['Services']
const security = partnerSecurity
const config = { auth: 'partner' as const }

/** The partner's catalogue of paid services. */
export const catalogueRoutes: FastifyPluginAsyncTypebox<{
  catalogue: CatalogueService
  idempotency: IdempotencyService
}> = async (app, { catalogue, idempotency }) => {
  app.post(
    '/v1/services',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Publish a paid service',
        description: 'An Idempotency-Key, when sent, makes a retry return the service created first.',
        body: CreateServiceBody,
        response: { 201: Type.Ref('Service'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request).id
      return honourIdempotencyKey(request, reply, { idempotency, principal }, async (q) =>
        jsonResponse(201, await catalogue.create(principal, request.body, q)),
      )
    },
  )

  app.get(
    '/v1/services',
    {
      config,
      schema: {
        tags,
        security,
        summary: "The partner's services, newest first",
        querystring: Type.Object(
          { ...PageQuery('svc'), active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Page(Type.Ref('Service')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after, active } = request.query
      return catalogue.list(principalOf(request).id, { limit, startingAfter: starting_after, active })
    },
  )

  app.get(
    '/v1/services/:id',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'One service',
        params: ServiceParams,
        response: { 200: Type.Ref('Service'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => catalogue.get(principalOf(request).id, request.params.id),
  )

  app.patch(
    '/v1/services/:id',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Rename, reprice, archive or restore a service',
        params: ServiceParams,
        body: UpdateServiceBody,
        response: { 200: Type.Ref('Service'), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => catalogue.update(principalOf(request).id, request.params.id, request.body),
  )
}
