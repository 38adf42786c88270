import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { describe, expect, it } from 'vitest'

/**
 * The `protus` Python package and the Django example, run by `run_tests.py` with Debian's
 * interpreter against the repository's own PROTUS build. Without Python 3.11+ with Django, DRF and
 * requests the suite is skipped and says so; `PROTUS_PYTHON_TESTS=required` (set by CI) turns the
 * skip into a failure. With `DATABASE_URL` set, PROTUS runs on a fresh schema of that database.
 */
const python = process.env.PROTUS_PYTHON ?? '/usr/bin/python3'
const runner = fileURLToPath(new URL('./run_tests.py', import.meta.url))
const install =
  'apt-get install -y python3-django python3-djangorestframework python3-requests python3-pip python3-setuptools python3-wheel'

function missing(): string | undefined {
  const probe = spawnSync(
    python,
    [
      '-c',
      // pip, setuptools and wheel install the package; importing both pip and setuptools here
      // would trip setuptools' distutils check, so they are only looked up.
      'import sys; assert sys.version_info >= (3, 11); import django, rest_framework, requests; from importlib.util import find_spec; assert all(find_spec(m) for m in ("pip", "setuptools", "wheel")), "no pip, setuptools or wheel"',
    ],
    { encoding: 'utf8' },
  )
  if (probe.error) return `${python} is not there`
  if (probe.status !== 0)
    return `${python} lacks Python 3.11+ or one of its packages (${probe.stderr.trim().split('\n').at(-1)})`
  return undefined
}

/** A schema of its own on `DATABASE_URL` for the suites' PROTUS, as a URL that selects it. */
async function withSchema<T>(run: (databaseUrl: string | undefined) => Promise<T>): Promise<T> {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) return run(undefined)
  const schema = `python_${randomBytes(6).toString('hex')}`
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    await client.query(sql).finally(() => client.end())
  }
  await admin(`CREATE SCHEMA ${schema}`)
  const url = new URL(databaseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  try {
    return await run(url.toString())
  } finally {
    await admin(`DROP SCHEMA ${schema} CASCADE`)
  }
}

/** Runs `run_tests.py` without blocking the worker; answers its exit status and output. */
function runSuites(databaseUrl: string | undefined): Promise<{ status: number | null; output: string }> {
  const env = { ...process.env }
  if (databaseUrl) env.PROTUS_TEST_DATABASE_URL = databaseUrl
  return new Promise((resolve, reject) => {
    const child = spawn(python, [runner], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, output }))
  })
}

const why = missing()
const required = process.env.PROTUS_PYTHON_TESTS === 'required'
if (why && !required) {
  console.warn(`Python tests SKIPPED: ${why}. To run them: ${install}`)
}

describe.skipIf(why !== undefined && !required)('protus for Python and Django', () => {
  it('passes its unittest suite and the Django example against a real PROTUS, and the ledger adds up', async () => {
    expect(why, `Python tests are required here: ${why}. Install with: ${install}`).toBeUndefined()
    const run = await withSchema(runSuites)
    const output = run.output
    const summaries = output.split('\n').filter((line) => line.startsWith('==== ') && !line.includes('exit '))
    console.log(summaries.join('\n'))
    expect(run.status, output).toBe(0)
    expect(output).toMatch(/==== package passed: \d+ tests/)
    expect(output).toMatch(/==== example passed: \d+ tests/)
    expect(output).toMatch(/==== ledger after the run: ledger OK/)
    expect(output).toContain(`==== PROTUS on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`)
  })
})
