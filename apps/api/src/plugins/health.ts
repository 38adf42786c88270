import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Mode } from '../config.js'
import type { Database } from '../db/database.js'
import { DomainError } from '../lib/domain-error.js'
import { problemResponses } from '../lib/schemas.js'
import { DEFAULT_CURRENCY } from '../modules/catalogue/catalogue.service.js'
import { version } from '../version.js'
import { Status } from './health.schemas.js'

/** Liveness (the process answers), readiness (the database answers) and what this server is. */
export const healthRoutes: FastifyPluginAsyncTypebox<{
  db: Database
  mode: Mode
  topupsAvailable: boolean
}> = async (app, { db, mode, topupsAvailable }) => {
  app.get(
    '/v1/status',
    {
      schema: {
        tags: ['Operations'],
        summary: 'The mode, version and currency of this PROTUS (no authentication)',
        response: { 200: Type.Ref('PlatformStatus') },
      },
    },
    async () => ({ mode, version, currency: DEFAULT_CURRENCY, topups_available: topupsAvailable }),
  )
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { tags: ['Operations'], summary: 'Liveness', response: { 200: Status } } },
    async () => ({ status: 'ok' as const }),
  )
  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['Operations'],
        summary: 'Readiness',
        response: { 200: Status, ...problemResponses(503) },
      },
    },
    async () => {
      try {
        await db.query('SELECT 1')
      } catch {
        throw new DomainError('service_unavailable', 'the database does not answer')
      }
      return { status: 'ok' as const }
    },
  )
}
