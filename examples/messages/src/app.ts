import cookie from '@fastify/cookie'
import { protusAuth } from '@protus/sdk/fastify'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import { createProtus } from './protus.js'
import { accountRoutes } from './routes/account.js'
import { campaignRoutes } from './routes/campaigns.js'
import { clientRoutes } from './routes/clients.js'
import { directUserRoutes } from './routes/direct-users.js'
import { eventRoutes, webhookReceiver } from './routes/events.js'
import { planRoutes } from './routes/plans.js'
import { signInWithProtusRoutes } from './routes/sign-in-with-protus.js'
import { registerSessions } from './session.js'
import { openStore } from './store.js'

/** The Messages web app: server-rendered pages, billed through PROTUS with the SDK. */
export async function buildApp(config: Config): Promise<FastifyInstance> {
  const store = await openStore(config.dataDir)
  const protus = createProtus(config.protus)
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL || 'info' } })
  app.get('/healthz', async () => ({ ok: true }))

  // Webhooks read raw bytes and carry no session: they live beside the site, not in it.
  await webhookReceiver(app, { store, protus, secret: config.protus.webhookSecret })

  await app.register(async (site) => {
    await site.register(cookie)
    site.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    )
    registerSessions(site, store)
    // The SDK's view of who is signed in and what they allowed, for its scope guard.
    await site.register(
      protusAuth({
        protus: protus.client,
        session: ({ user }) =>
          user?.protusAccount && !user.revoked
            ? { accountId: user.protusAccount, scopes: user.scopes }
            : null,
      }),
    )
    const deps = { store, protus }
    directUserRoutes(site, deps)
    signInWithProtusRoutes(site, { ...deps, redirectUri: `${config.publicUrl}/auth/protus/callback` })
    clientRoutes(site, deps)
    campaignRoutes(site, deps)
    planRoutes(site, deps)
    accountRoutes(site, { ...deps, returnUrl: `${config.publicUrl}/account` })
    eventRoutes(site, deps)
  })
  return app
}
