import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Queryable } from '../../db/database.js'
import { Page, partnerSecurity, problemResponses } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { idempotentRequest, sendStored } from '../../plugins/idempotent.js'
import type { IdempotencyService } from '../idempotency/idempotency.service.js'
import type { AddressLimits } from '../limits/rate-limits.js'
import type { TopupRow } from './topups.repository.js'
import {
  CreateManagedTopupBody,
  CreateTopupBody,
  TopupHeaders,
  TopupParams,
  TopupsQuery,
} from './topups.schemas.js'
import type { TopupsService } from './topups.service.js'
import { topupView } from './topups.views.js'

const tags = ['Top-ups']
const personSecurity = [{ sessionCookie: [] }]
const created = { 201: Type.Ref('Topup'), ...problemResponses(400, 401, 403, 404, 409, 422, 429, 502, 503) }

/** Top-ups of a person's wallet and of a partner's managed accounts; both POSTs need an Idempotency-Key. */
export const topupRoutes: FastifyPluginAsyncTypebox<{
  topups: TopupsService
  idempotency: IdempotencyService
  limits: Pick<AddressLimits, 'topups'>
}> = async (app, { topups, idempotency, limits }) => {
  /**
   * Opens the top-up once per key; a refusal (404, 422) is saved and replayed like a success. A
   * provider that did not answer (5xx) is not a decision: nothing is saved, a retry tries again.
   */
  async function openOnce(
    request: FastifyRequest,
    reply: FastifyReply,
    principal: string,
    open: (tx: Queryable) => Promise<TopupRow>,
  ) {
    const keyed = idempotentRequest(request, principal)
    topups.ensureAvailable()
    const stored = await idempotency.run(keyed, async (tx) => ({
      status: 201,
      body: topupView(await open(tx)),
    }))
    return sendStored(reply, stored)
  }

  app.post(
    '/v1/me/topups',
    {
      config: { auth: 'customer', rateLimit: limits.topups },
      schema: {
        tags,
        security: personSecurity,
        summary: "Top up the signed-in person's wallet",
        description: 'Answers the pending top-up with checkout_url, the payment page to send the person to.',
        headers: TopupHeaders,
        body: CreateTopupBody,
        response: created,
      },
    },
    async (request, reply) => {
      const customerId = principalOf(request).id
      return openOnce(request, reply, customerId, (tx) =>
        topups.forCustomer(tx, customerId, request.body.amount),
      )
    },
  )

  app.get(
    '/v1/me/topups/:id',
    {
      config: { auth: 'customer' },
      schema: {
        tags,
        security: personSecurity,
        summary: "One of the signed-in person's top-ups",
        description:
          'A pending top-up is first asked after at its payment provider, so polling settles one whose webhook was lost.',
        params: TopupParams,
        response: { 200: Type.Ref('Topup'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => topupView(await topups.getForCustomer(principalOf(request).id, request.params.id)),
  )

  app.post(
    '/v1/accounts/:id/topups',
    {
      config: { auth: 'partner', rateLimit: limits.topups },
      schema: {
        tags,
        security: partnerSecurity,
        summary: "Top-up link for one of the partner's managed accounts",
        description:
          "Answers the pending top-up with checkout_url: hand it to the account's user. Only managed accounts can be topped up by their partner. With return_url, the payment page offers a way back to it.",
        headers: TopupHeaders,
        params: TopupParams,
        body: CreateManagedTopupBody,
        response: created,
      },
    },
    async (request, reply) => {
      const companyId = principalOf(request).id
      const { amount, return_url } = request.body
      if (return_url !== undefined) await topups.checkReturnUrl(companyId, return_url)
      return openOnce(request, reply, companyId, (tx) =>
        topups.forManagedAccount(tx, companyId, request.params.id, amount, return_url),
      )
    },
  )
  app.get(
    '/v1/accounts/:id/topups',
    {
      config: { auth: 'partner' },
      schema: {
        tags,
        security: partnerSecurity,
        summary: "Top-ups of one of the partner's managed accounts, newest first",
        description:
          'Pending, succeeded and failed, whoever opened them (the partner or an operator). Only managed accounts: a person’s wallet is the person’s business.',
        params: TopupParams,
        querystring: TopupsQuery,
        response: { 200: Page(Type.Ref('Topup')), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after } = request.query
      return topups.listForManagedAccount(principalOf(request).id, request.params.id, {
        limit,
        startingAfter: starting_after,
      })
    },
  )
}
