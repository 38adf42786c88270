// What a server's database connections are doing while a scenario runs, sampled from
// pg_stat_activity: running, waiting for a lock, for the WAL flush, or idle inside a
// transaction (waiting for the server process to send its next statement). One connection of
// its own for the whole row: a psql per sample cost about a tenth of a core (a process and a
// backend each time), which showed up as "other processes" on the rows that sample.
import pg from 'pg'

const QUERY = `SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || wait_event, 'running')
                         ELSE state || coalesce(' (' || wait_event || ')', '') END AS state, count(*)::int AS n
                 FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
                GROUP BY 1`

/** Samples every `intervalMs`; `stop()` answers the average number of connections per state. */
export function startWaitSampler(url, intervalMs = 500) {
  const totals = new Map()
  let samples = 0
  let stopped = false
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {})
  const connected = client.connect().then(
    () => true,
    () => false,
  )
  let inFlight = Promise.resolve()

  function once() {
    inFlight = connected.then(async (ok) => {
      if (!ok || stopped) return
      try {
        const { rows } = await client.query(QUERY)
        if (stopped) return
        samples++
        for (const { state, n } of rows) totals.set(state, (totals.get(state) ?? 0) + n)
      } catch {
        // a sample lost; the average is over the ones taken
      }
    })
  }

  const timer = setInterval(once, intervalMs)
  return {
    async stop() {
      clearInterval(timer)
      await inFlight
      stopped = true
      await client.end().catch(() => {})
      return [...totals.entries()]
        .map(([state, total]) => ({ state, average: samples > 0 ? total / samples : 0 }))
        .sort((a, b) => b.average - a.average)
    },
  }
}
