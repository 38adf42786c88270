import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { streamCsv } from '../../lib/csv.js'
import {
  createdRange,
  csvResponse,
  Page,
  problemResponses,
  partnerSecurity as security,
} from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { idempotentRequest, sendStored } from '../../plugins/idempotent.js'
import type { IdempotentRequest } from '../idempotency/idempotency.service.js'
import { CSV_FORMAT, chargeColumns } from './billing.csv.js'
import type { PaymentFilter } from './billing.repository.js'
import {
  CaptureBody,
  ChargeExportQuery,
  ChargeListQuery,
  CreateChargeBody,
  CreateHoldBody,
  HoldListQuery,
  IdempotencyHeaders,
  IdParam,
  RefundBody,
  RefundListQuery,
  ReleaseBody,
  RevenueQuery,
} from './billing.schemas.js'
import type { ChargesService } from './charges.service.js'
import type { HoldsService } from './holds.service.js'
import type { RefundsService } from './refunds.service.js'

const config = { auth: 'partner' as const }
const moneyProblems = problemResponses(400, 401, 402, 403, 404, 409, 422)

/** A list's query as the filter of its statement; times as ISO 8601 (the schema checked them). */
export function filterOf(query: {
  account?: string
  service?: string
  'created[gte]'?: string
  'created[lt]'?: string
}): PaymentFilter {
  return { accountId: query.account, serviceId: query.service, ...createdRange(query) }
}

function call(request: FastifyRequest): { companyId: string; call: IdempotentRequest } {
  const companyId = principalOf(request).id
  return { companyId, call: idempotentRequest(request, companyId) }
}

/** Holds, captures, releases, charges and refunds; every POST needs an Idempotency-Key. */
export const paymentRoutes: FastifyPluginAsyncTypebox<{
  holds: HoldsService
  charges: ChargesService
  refunds: RefundsService
}> = async (app, { holds, charges, refunds }) => {
  const post = { config, headers: IdempotencyHeaders }

  app.post(
    '/v1/holds',
    {
      config,
      schema: {
        tags: ['Holds'],
        security,
        summary: 'Reserve funds (scope hold)',
        headers: post.headers,
        body: CreateHoldBody,
        response: { 201: Type.Ref('Hold'), ...moneyProblems },
      },
    },
    async (request, reply) => {
      const { companyId, call: c } = call(request)
      return sendStored(reply, await holds.hold(companyId, request.body, c))
    },
  )

  app.post(
    '/v1/holds/:id/capture',
    {
      config,
      schema: {
        tags: ['Holds'],
        security,
        summary: 'Capture a hold in full or in part (scope charge); the rest is released',
        headers: post.headers,
        params: IdParam,
        body: CaptureBody,
        response: { 200: Type.Ref('Hold'), ...moneyProblems },
      },
    },
    async (request, reply) => {
      const { companyId, call: c } = call(request)
      return sendStored(reply, await holds.capture(companyId, request.params.id, request.body, c))
    },
  )

  app.post(
    '/v1/holds/:id/release',
    {
      config,
      schema: {
        tags: ['Holds'],
        security,
        summary: 'Release a hold',
        headers: post.headers,
        params: IdParam,
        body: ReleaseBody,
        response: { 200: Type.Ref('Hold'), ...moneyProblems },
      },
    },
    async (request, reply) => {
      const { companyId, call: c } = call(request)
      return sendStored(reply, await holds.release(companyId, request.params.id, c))
    },
  )

  app.get(
    '/v1/holds/:id',
    {
      config,
      schema: {
        tags: ['Holds'],
        security,
        summary: 'One hold',
        params: IdParam,
        response: { 200: Type.Ref('Hold'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => holds.getHold(principalOf(request).id, request.params.id),
  )

  app.get(
    '/v1/holds',
    {
      config,
      schema: {
        tags: ['Holds'],
        security,
        summary: 'Holds, newest first; filter by account, service, creation time and status',
        querystring: HoldListQuery,
        response: { 200: Page(Type.Ref('Hold')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after, status } = request.query
      return holds.listHolds(
        principalOf(request).id,
        { ...filterOf(request.query), status },
        { limit, startingAfter: starting_after },
      )
    },
  )

  app.post(
    '/v1/charges',
    {
      config,
      schema: {
        tags: ['Charges'],
        security,
        summary: 'Charge an account directly (scope charge)',
        headers: post.headers,
        body: CreateChargeBody,
        response: { 201: Type.Ref('Charge'), ...moneyProblems },
      },
    },
    async (request, reply) => {
      const { companyId, call: c } = call(request)
      return sendStored(reply, await charges.charge(companyId, request.body, c))
    },
  )

  app.get(
    '/v1/charges',
    {
      config,
      schema: {
        tags: ['Charges'],
        security,
        summary: 'Charges, newest first; filter by account, service and creation time',
        querystring: ChargeListQuery,
        response: { 200: Page(Type.Ref('Charge')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after } = request.query
      return charges.listCharges(principalOf(request).id, filterOf(request.query), {
        limit,
        startingAfter: starting_after,
      })
    },
  )

  app.get(
    '/v1/charges.csv',
    {
      config,
      schema: {
        tags: ['Charges'],
        security,
        summary: 'Charges as CSV: every charge under the filters, newest first',
        description: `The charges of \`GET /v1/charges\` under the same filters, all of them. ${CSV_FORMAT}`,
        querystring: ChargeExportQuery,
        response: { 200: csvResponse('The charges'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const companyId = principalOf(request).id
      const filter = filterOf(request.query)
      return streamCsv(reply, {
        filename: 'charges.csv',
        columns: chargeColumns,
        bom: true,
        page: (after, limit) => charges.chargePage(companyId, filter, after?.id, limit),
      })
    },
  )

  app.get(
    '/v1/reports/revenue',
    {
      config,
      schema: {
        tags: ['Reports'],
        security,
        summary: 'Revenue by service, day or month: charges, gross, refunds and net per currency',
        description:
          'A charge counts when it was created (captures included), a refund when it was made, under its charge’s service; `created[gte]` and `created[lt]` bound both. Keys in order.',
        querystring: RevenueQuery,
        response: { 200: Type.Ref('RevenueReport'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { createdGte, createdLt } = filterOf(request.query)
      return charges.revenue(principalOf(request).id, request.query.group_by, { createdGte, createdLt })
    },
  )

  app.get(
    '/v1/charges/:id',
    {
      config,
      schema: {
        tags: ['Charges'],
        security,
        summary: 'One charge',
        params: IdParam,
        response: { 200: Type.Ref('Charge'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => charges.getCharge(principalOf(request).id, request.params.id),
  )

  app.post(
    '/v1/charges/:id/refunds',
    {
      config,
      schema: {
        tags: ['Charges'],
        security,
        summary: 'Refund a charge in full (the default: what is left) or in part',
        headers: post.headers,
        params: IdParam,
        body: RefundBody,
        response: { 201: Type.Ref('Refund'), ...moneyProblems },
      },
    },
    async (request, reply) => {
      const { companyId, call: c } = call(request)
      return sendStored(reply, await refunds.refund(companyId, request.params.id, request.body, c))
    },
  )

  app.get(
    '/v1/refunds',
    {
      config,
      schema: {
        tags: ['Charges'],
        security,
        summary: 'Refunds, newest first; filter by charge, account, service (the charge’s) and creation time',
        querystring: RefundListQuery,
        response: { 200: Page(Type.Ref('Refund')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after, charge } = request.query
      return refunds.listRefunds(
        principalOf(request).id,
        { ...filterOf(request.query), chargeId: charge },
        {
          limit,
          startingAfter: starting_after,
        },
      )
    },
  )
}
