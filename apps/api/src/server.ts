import cluster from 'node:cluster'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { Config } from './config.js'
import { mayListen, relayWakeUps } from './lib/cluster.js'

/** How long a process has to finish its requests and close after SIGTERM or SIGINT. */
export const SHUTDOWN_GRACE_MS = 10_000

/**
 * Starts the server and closes it gracefully on SIGTERM or SIGINT: in-flight requests finish first.
 * One of the processes of `protus start --processes N` listens once the primary says so.
 */
export async function startServer(config: Config): Promise<FastifyInstance> {
  const startedAt = performance.now()
  const app = await buildApp(config)
  relayWakeUps(app.services)
  closeOnSignals(app)
  await mayListen()
  await app.listen({ host: config.host, port: config.port })
  const details = {
    database: config.databaseUrl ? 'postgresql' : 'pglite',
    ready_ms: Math.round(performance.now() - startedAt),
  }
  if (cluster.isWorker) {
    const backgroundWork = config.sweepIntervalSeconds > 0 || config.webhooks.workerInServer
    app.log.info({ ...details, background_work: backgroundWork }, 'process is ready')
  } else {
    app.log.info(details, `PROTUS is ready on http://${config.host}:${config.port}`)
  }
  return app
}

function closeOnSignals(app: FastifyInstance) {
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
}
