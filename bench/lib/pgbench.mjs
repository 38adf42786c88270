// The yardstick: pgbench on the same PostgreSQL, with the same client counts and duration.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { psql } from './postgres.mjs'

const SCALE = 10
const HOT_ROW_FUNDS = 1_000_000_000_000

/** The hot-wallet yardstick: one row, debited by 1 only while it can cover it. */
const HOT_ROW_SCRIPT = 'UPDATE bench_wallet SET balance = balance - 1 WHERE id = 1 AND balance >= 1;\n'

/** pgbench's tables at scale 10 and the one-row wallet, in the (fresh) database at `url`. */
export function preparePgbench(url) {
  const init = spawnSync('pgbench', ['-i', '-q', '-s', String(SCALE), url], { encoding: 'utf8' })
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`)
  psql(
    url,
    `CREATE TABLE bench_wallet (id int PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0));
     INSERT INTO bench_wallet VALUES (1, ${HOT_ROW_FUNDS});`,
  )
  psql(url, 'CHECKPOINT')
  const dir = mkdtempSync(join(tmpdir(), 'protus-bench-'))
  writeFileSync(join(dir, 'hot-row.sql'), HOT_ROW_SCRIPT)
  return { dir, scale: SCALE, hotRowScript: join(dir, 'hot-row.sql') }
}

function pgbench(args, sample) {
  return new Promise((resolve, reject) => {
    const child = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const sampler = sample?.(child.pid)
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      out += d
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      const usage = sampler?.stop()
      if (code !== 0) reject(new Error(`pgbench ${args.join(' ')} failed:\n${out}`))
      else resolve({ out, usage })
    })
  })
}

function latencies(dir, prefix) {
  const values = []
  for (const file of readdirSync(dir)) {
    if (!file.startsWith(`${prefix}.`)) continue
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const micros = Number(line.split(' ')[2])
      if (line && Number.isFinite(micros)) values.push(micros / 1000)
    }
  }
  return Float64Array.from(values).sort()
}

const at = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

/**
 * One pgbench run: a warm-up, then the measured run with per-transaction logs for p50/p99.
 * `workload` is 'simple-update' (`-N`) or 'hot-row'.
 */
export async function runPgbench({ url, setup, workload, clients, duration, warmup, sample }) {
  const script = workload === 'simple-update' ? ['-N'] : ['-f', setup.hotRowScript]
  const common = ['-n', '-c', String(clients), '-j', '2', ...script]
  if (warmup > 0) await pgbench([...common, '-T', String(warmup), url])
  const prefix = `${workload}-${clients}`
  const { out, usage } = await pgbench(
    [...common, '-T', String(duration), '-l', `--log-prefix=${join(setup.dir, prefix)}`, url],
    sample,
  )
  const tps = Number(out.match(/tps = ([\d.]+) \(without initial connection time\)/)?.[1])
  const failed = Number(out.match(/number of failed transactions: (\d+)/)?.[1] ?? 0)
  const sorted = latencies(setup.dir, prefix)
  return { tps, failed, transactions: sorted.length, p50: at(sorted, 50), p99: at(sorted, 99), usage }
}

export function cleanupPgbench(setup) {
  rmSync(setup.dir, { recursive: true, force: true })
}
