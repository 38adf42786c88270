import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Database } from '../db/database.js'
import { DomainError } from '../lib/domain-error.js'
import { problemResponses } from '../lib/schemas.js'

const Status = Type.Object({ status: Type.Literal('ok') })

/** Liveness (the process answers) and readiness (the database answers). */
export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
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
