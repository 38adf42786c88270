import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { Config } from './config.js'

const SHUTDOWN_GRACE_MS = 10_000

/** Starts the server and closes it gracefully on SIGTERM or SIGINT: in-flight requests finish first. */
export async function startServer(config: Config): Promise<FastifyInstance> {
  const startedAt = performance.now()
  const app = await buildApp(config)
  await app.listen({ host: config.host, port: config.port })
  app.log.info(
    {
      database: config.databaseUrl ? 'postgresql' : 'pglite',
      ready_ms: Math.round(performance.now() - startedAt),
    },
    `PROTUS is ready on http://${config.host}:${config.port}`,
  )

  let closing = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      app.log.error('shutdown took too long, exiting')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS)
    force.unref()
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
  return app
}
