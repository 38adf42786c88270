/** Settings of the Messages demo, read once from the environment. */
export interface Config {
  port: number
  host: string
  /** Where people reach Messages; the redirect URI registered at PROTUS starts with it. */
  publicUrl: string
  /** Where the JSON file with users, clients, campaigns and events lives. */
  dataDir: string
  protus: { baseUrl: string; clientId: string; clientSecret: string; webhookSecret: string }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const missing = ['PROTUS_CLIENT_ID', 'PROTUS_CLIENT_SECRET', 'PROTUS_WEBHOOK_SECRET'].filter((n) => !env[n])
  if (missing.length > 0) throw new Error(`Messages needs ${missing.join(', ')} (npm run demo sets them)`)
  const port = Number(env.PORT || 8088)
  const host = env.HOST || 'localhost'
  return {
    port,
    host,
    publicUrl: (env.MESSAGES_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir: env.MESSAGES_DATA_DIR || './data/messages',
    protus: {
      baseUrl: env.PROTUS_URL || 'http://localhost:8080',
      clientId: env.PROTUS_CLIENT_ID as string,
      clientSecret: env.PROTUS_CLIENT_SECRET as string,
      webhookSecret: env.PROTUS_WEBHOOK_SECRET as string,
    },
  }
}
