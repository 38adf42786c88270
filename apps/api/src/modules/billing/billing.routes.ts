import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Page, PageQuery, problemResponses, partnerSecurity as security } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { requireIdempotencyKey } from '../../plugins/idempotent.js'
import type { IdempotencyService } from '../idempotency/idempotency.service.js'
import type { AccountsService } from './accounts.service.js'
import { Balance, CreateAccountBody, IdempotencyHeaders, IdParam } from './billing.schemas.js'
import { accountView, toJson } from './billing.views.js'

const tags = ['Accounts']
const config = { auth: 'partner' as const }

/** Accounts at the partner: managed accounts for its direct users, lists, balances. */
export const accountRoutes: FastifyPluginAsyncTypebox<{
  accounts: AccountsService
  idempotency: IdempotencyService
}> = async (app, { accounts, idempotency }) => {
  app.post(
    '/v1/accounts',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Open (or find) the managed account of a direct user',
        description:
          'Idempotent on external_id: the same external_id answers 200 with the account opened first. Needs an Idempotency-Key.',
        headers: IdempotencyHeaders,
        body: CreateAccountBody,
        response: {
          200: Type.Ref('Account'),
          201: Type.Ref('Account'),
          ...problemResponses(400, 401, 403, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const companyId = principalOf(request).id
      return requireIdempotencyKey(request, reply, { idempotency, principal: companyId }, async (tx) => {
        const { created, account } = await accounts.ensureManaged(tx, companyId, request.body)
        return { status: created ? 201 : 200, body: toJson(accountView(account)) }
      })
    },
  )

  app.get(
    '/v1/accounts',
    {
      config,
      schema: {
        tags,
        security,
        summary: "The partner's accounts, newest first, with what each spent and holds",
        querystring: Type.Object(PageQuery('acct'), { additionalProperties: false }),
        response: { 200: Page(Type.Ref('Account')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after } = request.query
      return accounts.list(principalOf(request).id, { limit, startingAfter: starting_after })
    },
  )

  app.get(
    '/v1/accounts/:id',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'One account with spent, held, refunded and last activity',
        params: IdParam,
        response: { 200: Type.Ref('Account'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => accounts.get(principalOf(request).id, request.params.id),
  )

  app.get(
    '/v1/accounts/:id/balance',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Available and held funds (scope check)',
        params: IdParam,
        response: { 200: Balance, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => accounts.balance(principalOf(request).id, request.params.id),
  )
}
