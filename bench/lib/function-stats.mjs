// Where PostgreSQL spends its time inside PROTUS's PL/pgSQL functions (track_functions = 'pl').
import { psql } from './postgres.mjs'

/** Turns function statistics on for new connections to the bench's own database. */
export function trackFunctions(adminUrl, database) {
  psql(adminUrl, `ALTER DATABASE ${database} SET track_functions = 'pl'`)
}

/** Cumulative calls and times (ms) per function; a backend reports its share when it exits. */
export function readFunctionStats(url) {
  const stats = new Map()
  const out = psql(url, 'SELECT funcname, calls, total_time, self_time FROM pg_stat_user_functions')
  for (const line of out.split('\n')) {
    if (!line) continue
    const [name, calls, total, self] = line.split('|')
    stats.set(name, { calls: Number(calls), total: Number(total), self: Number(self) })
  }
  return stats
}

export function diffFunctionStats(before, after) {
  const diff = new Map()
  for (const [name, now] of after) {
    const then = before.get(name) ?? { calls: 0, total: 0, self: 0 }
    diff.set(name, {
      calls: now.calls - then.calls,
      total: now.total - then.total,
      self: now.self - then.self,
    })
  }
  return diff
}
