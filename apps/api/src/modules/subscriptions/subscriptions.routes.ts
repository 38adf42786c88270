import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Page, problemResponses, partnerSecurity as security } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { honourIdempotencyKey, idempotentRequest, sendStored } from '../../plugins/idempotent.js'
import { IdempotencyHeaders } from '../billing/billing.schemas.js'
import type { IdempotencyService } from '../idempotency/idempotency.service.js'
import type { PersonSubscriptions } from './subscriptions.person.js'
import {
  CancelSubscriptionBody,
  CreateSubscriptionBody,
  SubscriptionListQuery,
  SubscriptionParams,
} from './subscriptions.schemas.js'
import type { SubscriptionsService } from './subscriptions.service.js'

const partner = { auth: 'partner' as const }
const person = { auth: 'customer' as const }
const tags = ['Subscriptions']

/** Subscriptions to recurring services: the partner's API and the person's. */
export const subscriptionRoutes: FastifyPluginAsyncTypebox<{
  subscriptions: SubscriptionsService
  personSubscriptions: PersonSubscriptions
  idempotency: IdempotencyService
}> = async (app, { subscriptions, personSubscriptions, idempotency }) => {
  app.post(
    '/v1/subscriptions',
    {
      config: partner,
      schema: {
        tags,
        security,
        summary: 'Subscribe an account to a recurring service, charging the first period now (scope charge)',
        description:
          'The first period is charged at once, as an ordinary charge; the subscription exists only when it succeeded. ' +
          'A refusal (402 insufficient_funds or spending_limit_exceeded, 403 grant_revoked or insufficient_scope) is saved under the Idempotency-Key like a charge’s. ' +
          'The price per period is fixed now: a later price change of the service applies to new subscriptions only.',
        headers: IdempotencyHeaders,
        body: CreateSubscriptionBody,
        response: { 201: Type.Ref('Subscription'), ...problemResponses(400, 401, 402, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const companyId = principalOf(request).id
      const call = idempotentRequest(request, companyId)
      return sendStored(reply, await subscriptions.create(companyId, request.body, call))
    },
  )

  app.get(
    '/v1/subscriptions',
    {
      config: partner,
      schema: {
        tags,
        security,
        summary: 'Subscriptions, newest first; filter by account, status and service',
        querystring: SubscriptionListQuery,
        response: { 200: Page(Type.Ref('Subscription')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after, account, status, service } = request.query
      return subscriptions.list(
        principalOf(request).id,
        { accountId: account, status, serviceId: service },
        { limit, startingAfter: starting_after },
      )
    },
  )

  app.get(
    '/v1/subscriptions/:id',
    {
      config: partner,
      schema: {
        tags,
        security,
        summary: 'One subscription',
        params: SubscriptionParams,
        response: { 200: Type.Ref('Subscription'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => subscriptions.get(principalOf(request).id, request.params.id),
  )

  app.post(
    '/v1/subscriptions/:id/cancel',
    {
      config: partner,
      schema: {
        tags,
        security,
        summary: 'Cancel at the end of the paid period (the default) or now',
        description:
          'No refund: refund the charge if you want to. A canceled subscription answers 409 subscription_canceled.',
        params: SubscriptionParams,
        body: CancelSubscriptionBody,
        response: { 200: Type.Ref('Subscription'), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const companyId = principalOf(request).id
      const atPeriodEnd = request.body.at_period_end ?? true
      return honourIdempotencyKey(request, reply, { idempotency, principal: companyId }, (q) =>
        subscriptions.cancel(q, companyId, request.params.id, atPeriodEnd),
      )
    },
  )

  app.get(
    '/v1/me/subscriptions',
    {
      config: person,
      schema: {
        tags,
        summary: 'The person’s subscriptions at every partner, newest first',
        response: {
          200: Type.Object(
            { data: Type.Array(Type.Ref('PersonSubscription')) },
            { additionalProperties: false },
          ),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => personSubscriptions.list(principalOf(request).id),
  )

  app.post(
    '/v1/me/subscriptions/:id/cancel',
    {
      config: person,
      schema: {
        tags,
        summary: 'Stop a subscription at the end of the paid period (a past-due one ends now)',
        params: SubscriptionParams,
        response: { 200: Type.Ref('PersonSubscription'), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => personSubscriptions.cancel(principalOf(request).id, request.params.id),
  )

  app.post(
    '/v1/me/subscriptions/:id/pay',
    {
      config: person,
      schema: {
        tags,
        summary: 'Pay the due period of a past-due subscription now',
        description:
          'Answers the subscription, active again, or the charge’s refusal (402 or 403); a refusal leaves it past due with its retries as they were.',
        params: SubscriptionParams,
        response: {
          200: Type.Ref('PersonSubscription'),
          ...problemResponses(401, 402, 403, 404, 409, 422),
        },
      },
    },
    async (request) => personSubscriptions.pay(principalOf(request).id, request.params.id),
  )
}
