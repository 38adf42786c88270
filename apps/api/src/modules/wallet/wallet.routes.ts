import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { streamCsv } from '../../lib/csv.js'
import { createdRange, csvResponse, Page, problemResponses } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { statementColumns } from './wallet.csv.js'
import { EntriesExportQuery, EntriesQuery, SpendingQuery } from './wallet.schemas.js'
import type { StatementFilter, WalletService } from './wallet.service.js'

const tags = ['Wallet']
const config = { auth: 'customer' as const }
const security = [{ sessionCookie: [] }]

/** The statement's filters from its query (the schema checked them; times are ISO 8601). */
function filterOf(query: {
  partner?: string
  kind?: StatementFilter['kind']
  'created[gte]'?: string
  'created[lt]'?: string
  q?: string
}): StatementFilter {
  return { partner: query.partner, kind: query.kind, ...createdRange(query), q: query.q }
}

/** The signed-in person's wallet, statement and accounts at partners. */
export const walletRoutes: FastifyPluginAsyncTypebox<{ wallet: WalletService }> = async (app, { wallet }) => {
  app.get(
    '/v1/me/wallet',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Available, held and posted funds',
        response: { 200: Type.Ref('Wallet'), ...problemResponses(401, 403) },
      },
    },
    async (request) => wallet.balance(principalOf(request).id),
  )

  app.get(
    '/v1/me/entries',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Statement: every movement on the wallet, newest first',
        description:
          'Filters combine, and the cursor walks the filtered list: pass the same filters with `starting_after`.',
        querystring: EntriesQuery,
        response: { 200: Page(Type.Ref('Entry')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after } = request.query
      return wallet.entries(principalOf(request).id, filterOf(request.query), {
        limit,
        startingAfter: starting_after,
      })
    },
  )

  app.get(
    '/v1/me/entries.csv',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Statement as CSV: every line under the filters, newest first',
        description:
          'The lines of `GET /v1/me/entries` under the same filters, all of them, streamed as a download. ' +
          'RFC 4180 (CRLF line ends, quoted where needed), UTF-8 starting with a byte order mark, a header row; ' +
          'amounts as decimals in major units (12.34) with a currency column, times in ISO 8601 (UTC).',
        querystring: EntriesExportQuery,
        response: {
          200: csvResponse('The statement'),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const customerId = principalOf(request).id
      const filter = filterOf(request.query)
      const file = await wallet.statementFile(customerId)
      return streamCsv(reply, {
        filename: file.filename,
        columns: statementColumns(file.currency),
        bom: true,
        page: async (after, limit) =>
          (await wallet.entries(customerId, filter, { limit, startingAfter: after?.id })).data,
      })
    },
  )

  app.get(
    '/v1/me/spending',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'What went to partners: charges less refunds, per month or per partner',
        description:
          'A charge (a capture too) counts when it was made, a refund when it was made, so a month can be below ' +
          'zero. By month: every UTC month of the period, oldest first, split by partner; without `created[gte]` ' +
          'the period starts 11 months before the month of its end, and without `created[lt]` it ends with the ' +
          'current month; at most 120 months. By partner: over the period given, or over all time.',
        querystring: SpendingQuery,
        response: {
          200: Type.Union([Type.Ref('SpendingByMonth'), Type.Ref('SpendingByPartner')]),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { createdGte, createdLt } = filterOf(request.query)
      return wallet.spending(principalOf(request).id, request.query.group_by, { createdGte, createdLt })
    },
  )

  app.get(
    '/v1/me/accounts',
    {
      config,
      schema: {
        tags,
        security,
        summary: "The person's accounts at partners, with what each spent and holds",
        response: {
          200: Type.Object({ data: Type.Array(Type.Ref('PartnerAccount')) }, { additionalProperties: false }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => wallet.accounts(principalOf(request).id),
  )
}
