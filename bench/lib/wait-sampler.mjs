// What PROTUS's database connections are doing while a scenario runs, sampled from
// pg_stat_activity: running, waiting for a lock, for the WAL flush, or idle inside a
// transaction (waiting for the server process to send its next statement).
import { execFile } from 'node:child_process'

const QUERY = `SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || wait_event, 'running')
                         ELSE state || coalesce(' (' || wait_event || ')', '') END, count(*)
                 FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
                GROUP BY 1`

/** Samples every `intervalMs`; `stop()` answers the average number of connections per state. */
export function startWaitSampler(url, intervalMs = 500) {
  const totals = new Map()
  let samples = 0
  let stopped = false
  let inFlight = Promise.resolve()

  function once() {
    inFlight = new Promise((resolve) => {
      execFile('psql', [url, '-X', '-q', '-At', '-F', '\t', '-c', QUERY], (error, stdout) => {
        if (!error && !stopped) {
          samples++
          for (const line of stdout.split('\n')) {
            const [state, count] = line.split('\t')
            if (state) totals.set(state, (totals.get(state) ?? 0) + Number(count))
          }
        }
        resolve()
      })
    })
  }

  const timer = setInterval(once, intervalMs)
  return {
    async stop() {
      clearInterval(timer)
      await inFlight
      stopped = true
      return [...totals.entries()]
        .map(([state, total]) => ({ state, average: samples > 0 ? total / samples : 0 }))
        .sort((a, b) => b.average - a.average)
    },
  }
}
