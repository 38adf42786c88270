import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Page, problemResponses, partnerSecurity as security } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { honourIdempotencyKey, jsonResponse } from '../../plugins/idempotent.js'
import type { IdempotencyService } from '../idempotency/idempotency.service.js'
import { DeliveryListQuery, DeliveryParams } from './webhooks.schemas.js'
import type { WebhooksService } from './webhooks.service.js'

const tags = ['Webhooks']
const config = { auth: 'partner' as const }

/** The partner's webhook endpoint, delivery log, manual retries and test event. */
export const webhookRoutes: FastifyPluginAsyncTypebox<{
  webhooks: WebhooksService
  idempotency: IdempotencyService
}> = async (app, { webhooks, idempotency }) => {
  app.get(
    '/v1/company/webhooks',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'The webhook endpoint and whether it is enabled',
        description:
          'An endpoint that answers 410 Gone is disabled; its events wait until the webhook URL is set again.',
        response: { 200: Type.Ref('WebhookEndpoint'), ...problemResponses(401, 403) },
      },
    },
    async (request) => webhooks.endpoint(principalOf(request).id),
  )

  app.post(
    '/v1/company/webhooks/test',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Send a ping event',
        description:
          'An Idempotency-Key, when sent, makes a retry answer the first ping instead of sending another. Test events and manual retries share a limit per company and minute (429 `rate_limited` with Retry-After).',
        response: { 202: Type.Ref('WebhookDelivery'), ...problemResponses(401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request).id
      await webhooks.ensureSendable(principal)
      await webhooks.countManualSend(principal)
      return honourIdempotencyKey(request, reply, { idempotency, principal }, async (q) =>
        jsonResponse(202, await webhooks.sendTest(principal, q)),
      )
    },
  )

  app.get(
    '/v1/webhook-deliveries',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'The delivery log, newest first, with every attempt',
        querystring: DeliveryListQuery,
        response: { 200: Page(Type.Ref('WebhookDelivery')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after, status, type } = request.query
      return webhooks.list(
        principalOf(request).id,
        { status, type },
        { limit, startingAfter: starting_after },
      )
    },
  )

  app.get(
    '/v1/webhook-deliveries/:id',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'One delivery with every attempt',
        params: DeliveryParams,
        response: { 200: Type.Ref('WebhookDelivery'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => webhooks.get(principalOf(request).id, request.params.id),
  )

  app.post(
    '/v1/webhook-deliveries/:id/retry',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Send a delivery again now',
        description:
          'Any delivery may be sent again, a succeeded one too. A failed one that fails again stays failed; a pending one keeps its retry schedule. Test events and manual retries share a limit per company and minute (429 `rate_limited` with Retry-After).',
        params: DeliveryParams,
        response: { 202: Type.Ref('WebhookDelivery'), ...problemResponses(401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request).id
      await webhooks.ensureRetryable(principal, request.params.id)
      await webhooks.countManualSend(principal)
      return honourIdempotencyKey(request, reply, { idempotency, principal }, async (q) =>
        jsonResponse(202, await webhooks.retry(principal, request.params.id, q)),
      )
    },
  )
}
