// The PostgreSQL side of the bench: databases of its own, created fresh and dropped after.
import { spawnSync } from 'node:child_process'

/** The URL of another database on the same server and with the same credentials. */
export function databaseUrl(baseUrl, database) {
  const url = new URL(baseUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** Runs SQL with psql; answers its unaligned output. Throws with psql's message on failure. */
export function psql(url, sql) {
  const result = spawnSync('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
  })
  if (result.error) throw new Error(`psql: ${result.error.message}`)
  if (result.status !== 0) throw new Error(`psql failed on "${sql}": ${result.stderr.trim()}`)
  return result.stdout.trim()
}

export function recreateDatabase(adminUrl, database) {
  dropDatabase(adminUrl, database)
  psql(adminUrl, `CREATE DATABASE ${database}`)
}

export function dropDatabase(adminUrl, database) {
  psql(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
}

/** Fails early, with the reason, when the server does not answer or a tool is missing. */
export function checkPostgres(adminUrl) {
  for (const tool of ['psql', 'pgbench', 'pg_isready']) {
    const found = spawnSync(tool, ['--version'], { encoding: 'utf8' })
    if (found.error) throw new Error(`${tool} is not installed (Debian: apt-get install postgresql-client)`)
  }
  const ready = spawnSync('pg_isready', ['-d', adminUrl], { encoding: 'utf8' })
  if (ready.status !== 0)
    throw new Error(`PostgreSQL does not answer at ${redact(adminUrl)}: ${ready.stdout}`)
  return {
    version: psql(adminUrl, 'SHOW server_version'),
    settings: psql(
      adminUrl,
      `SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings
        WHERE name IN ('max_connections', 'shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'commit_delay')`,
    ),
  }
}

/** The URL without its password, for printing. */
export function redact(url) {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}
