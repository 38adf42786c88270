import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { streamCsv } from '../../lib/csv.js'
import { csvResponse, Page, problemResponses, partnerSecurity as security } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { requireIdempotencyKey } from '../../plugins/idempotent.js'
import type { IdempotencyService } from '../idempotency/idempotency.service.js'
import { balanceTransactionColumns, CSV_FORMAT } from './billing.csv.js'
import {
  BalanceQuery,
  BalanceTransactionExportQuery,
  BalanceTransactionListQuery,
  CreatePayoutBody,
  IdempotencyHeaders,
  IdParam,
  PayoutListQuery,
} from './billing.schemas.js'
import { toJson } from './billing.views.js'
import { filterOf } from './payments.routes.js'
import type { PayoutsService } from './payouts.service.js'

const config = { auth: 'partner' as const }

/** The partner's balance, the movements of it, and payouts. */
export const balanceRoutes: FastifyPluginAsyncTypebox<{
  payouts: PayoutsService
  idempotency: IdempotencyService
}> = async (app, { payouts, idempotency }) => {
  app.get(
    '/v1/balance',
    {
      config,
      schema: {
        tags: ['Balance'],
        security,
        summary: 'Your balance: revenue not yet paid out, payouts in flight, paid out in all',
        querystring: BalanceQuery,
        response: { 200: Type.Ref('PartnerBalance'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => payouts.balance(principalOf(request).id, request.query.currency),
  )

  app.get(
    '/v1/balance_transactions',
    {
      config,
      schema: {
        tags: ['Balance'],
        security,
        summary: 'Every movement of your balance, newest first: charges, refunds, payouts, reversals',
        description:
          'The amounts sum to your available balance (a payout takes its amount at once; a failed one comes back as a payout_reversal). Filters by type, account, service (a refund: its charge’s; payouts have none) and creation time.',
        querystring: BalanceTransactionListQuery,
        response: { 200: Page(Type.Ref('BalanceTransaction')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after } = request.query
      return payouts.listBalanceTransactions(
        principalOf(request).id,
        { ...filterOf(request.query), type: request.query.type },
        {
          limit,
          startingAfter: starting_after,
        },
      )
    },
  )

  app.get(
    '/v1/balance_transactions.csv',
    {
      config,
      schema: {
        tags: ['Balance'],
        security,
        summary: 'Balance transactions as CSV: every one under the filters, newest first',
        description: `The balance transactions of \`GET /v1/balance_transactions\` under the same filters, all of them. ${CSV_FORMAT}`,
        querystring: BalanceTransactionExportQuery,
        response: { 200: csvResponse('The balance transactions'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const companyId = principalOf(request).id
      const filter = { ...filterOf(request.query), type: request.query.type }
      return streamCsv(reply, {
        filename: 'balance_transactions.csv',
        columns: balanceTransactionColumns,
        bom: true,
        page: (after, limit) => payouts.balanceTransactionPage(companyId, filter, after, limit),
      })
    },
  )

  app.post(
    '/v1/payouts',
    {
      config: { auth: 'dashboard' as const },
      schema: {
        tags: ['Balance'],
        security: [{ sessionCookie: [] }],
        summary: 'Request a payout of available revenue (the company dashboard only)',
        description:
          'The amount leaves your available balance at once and shows in pending_payouts until the operator pays it (payout.paid) or it fails (payout.failed, the amount comes back).',
        headers: IdempotencyHeaders,
        body: CreatePayoutBody,
        response: { 201: Type.Ref('Payout'), ...problemResponses(400, 401, 402, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const companyId = principalOf(request).id
      return requireIdempotencyKey(request, reply, { idempotency, principal: companyId }, async (tx) => ({
        status: 201,
        body: toJson(await payouts.request(tx, companyId, request.body)),
      }))
    },
  )

  app.get(
    '/v1/payouts',
    {
      config,
      schema: {
        tags: ['Balance'],
        security,
        summary: 'Your payouts, newest first',
        querystring: PayoutListQuery,
        response: { 200: Page(Type.Ref('Payout')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after, status } = request.query
      return payouts.listPayouts(principalOf(request).id, status, { limit, startingAfter: starting_after })
    },
  )

  app.get(
    '/v1/payouts/:id',
    {
      config,
      schema: {
        tags: ['Balance'],
        security,
        summary: 'One payout',
        params: IdParam,
        response: { 200: Type.Ref('Payout'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => payouts.getPayout(principalOf(request).id, request.params.id),
  )
}
