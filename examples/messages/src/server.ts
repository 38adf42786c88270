import { buildApp } from './app.js'
import { loadConfig } from './config.js'

const config = loadConfig()
const app = await buildApp(config)
await app.listen({ port: config.port, host: config.host })

let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return
    closing = true
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
