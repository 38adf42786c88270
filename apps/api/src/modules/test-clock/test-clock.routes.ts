import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problemResponses, partnerSecurity as security } from '../../lib/schemas.js'
import { AdvanceClockBody } from './test-clock.schemas.js'
import type { TestClockService } from './test-clock.service.js'

const config = { auth: 'partner' as const }

/** The sandbox clock (`PROTUS_TEST_CLOCK=true` only): read it, or move it forward. */
export const testClockRoutes: FastifyPluginAsyncTypebox<{ testClock: TestClockService }> = async (
  app,
  { testClock },
) => {
  app.get(
    '/v1/sandbox/clock',
    {
      config,
      schema: {
        tags: ['Sandbox'],
        security,
        summary: "The sandbox clock's time",
        response: { 200: Type.Ref('SandboxClock'), ...problemResponses(401, 403) },
      },
    },
    async () => ({ now: testClock.now() }),
  )

  app.post(
    '/v1/sandbox/clock',
    {
      config,
      schema: {
        tags: ['Sandbox'],
        security,
        summary: 'Move the sandbox clock forward',
        description:
          'Runs everything that comes due on the way in time order (subscription renewals and retries, hold expiry, webhook deliveries and retries), then answers the new time. The clock never moves back.',
        body: AdvanceClockBody,
        response: { 200: Type.Ref('SandboxClock'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ now: await testClock.advance(request.body.advance_seconds) }),
  )
}
