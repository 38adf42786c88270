import pg from 'pg'
import type { Listener } from './database.js'

const FIRST_RETRY_MS = 100
const LAST_RETRY_MS = 5_000
/** TCP keepalive probes find a connection that died silently (a cable, not a server, went away). */
const KEEPALIVE_MS = 5_000

/**
 * LISTEN on a connection of its own: a pooled one would go back to the pool and stop hearing.
 * When the connection drops, the listener hears `listening(false)` at once, and it reconnects,
 * waiting twice as long after each failure, up to 5 s. Resolves after the first attempt, heard
 * or not, so a server does not wait for its database to start.
 */
export async function listenOnPostgres(
  connectionString: string,
  channel: string,
  listener: Listener,
): Promise<() => Promise<void>> {
  let current: pg.Client | undefined
  let stopped = false
  let retryMs = FIRST_RETRY_MS
  let retry: NodeJS.Timeout | undefined

  function dropped(client: pg.Client) {
    if (current !== client) return
    current = undefined
    listener.listening(false)
    client.end().catch(() => {})
    if (stopped) return
    retry = setTimeout(connect, retryMs)
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS)
  }

  async function connect(): Promise<void> {
    const client = new pg.Client({
      connectionString,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_MS,
    })
    current = client
    client.on('notification', (message) => {
      if (message.channel === channel) listener.notification(message.payload ?? '')
    })
    client.on('error', () => dropped(client))
    client.on('end', () => dropped(client))
    try {
      await client.connect()
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`)
    } catch {
      dropped(client)
      return
    }
    if (current !== client) return
    retryMs = FIRST_RETRY_MS
    listener.listening(true)
  }

  await connect()
  return async () => {
    stopped = true
    clearTimeout(retry)
    const client = current
    current = undefined
    if (!client) return
    listener.listening(false)
    await client.end().catch(() => {})
  }
}
