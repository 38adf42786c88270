import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { CHROMIUM } from '../../../apps/web/e2e/support.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const BUILT = [
  'apps/api/dist/cli.js',
  'apps/web/dist/index.html',
  'packages/sdk/dist/index.js',
  'examples/messages/dist/server.js',
]

/** Skips the suite with a message without Chromium or a build, or fails it when PROTUS_E2E=required. */
export function checkPrerequisites(): boolean {
  const unbuilt = BUILT.find((file) => !existsSync(ROOT + file))
  const missing = !existsSync(CHROMIUM)
    ? `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`
    : unbuilt
      ? `${unbuilt} is missing: run \`npm run build\` first`
      : null
  if (!missing) return true
  if (process.env.PROTUS_E2E === 'required') {
    throw new Error(`browser tests are required (PROTUS_E2E=required) but ${missing}`)
  }
  console.warn(
    `Skipping the demo's browser tests: ${missing}. Set PROTUS_E2E=required to make this an error.`,
  )
  return false
}

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** Where a demo keeps its data: a directory, and on PostgreSQL a fresh schema of DATABASE_URL. */
export interface DemoData {
  dir: string
  env: Record<string, string>
  drop(): Promise<void>
}

export async function freshDemoData(dir: string): Promise<DemoData> {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) return { dir, env: {}, drop: async () => {} }
  const schema = `demo_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  const url = new URL(databaseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    dir,
    env: { DATABASE_URL: url.toString(), PROTUS_DB_POOL_SIZE: '5' },
    drop: async () => {
      const client = new pg.Client({ connectionString: databaseUrl })
      await client.connect()
      await client.query(`DROP SCHEMA ${schema} CASCADE`)
      await client.end()
    },
  }
}

export interface RunningDemo {
  protusUrl: string
  messagesUrl: string
  ports: { protus: number; messages: number }
  /** Everything `npm run demo` printed so far. */
  output(): string
  /** Sends SIGTERM, as a service manager would, and answers how the demo ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** `npm run demo` (scripts/demo.mjs) on free ports, ready once it prints that it is. */
export async function startDemo(
  data: DemoData,
  ports?: { protus: number; messages: number },
): Promise<RunningDemo> {
  const protusPort = ports?.protus ?? (await freePort())
  const messagesPort = ports?.messages ?? (await freePort())
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PROTUS_PORT: String(protusPort),
    MESSAGES_PORT: String(messagesPort),
    DEMO_DATA_DIR: data.dir,
    LOG_LEVEL: 'error',
    ...data.env,
  }
  if (!data.env.DATABASE_URL) delete env.DATABASE_URL
  const child: ChildProcess = spawn(process.execPath, ['scripts/demo.mjs'], { cwd: ROOT, env })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  let timer: NodeJS.Timeout | undefined
  const ready = Promise.race([
    new Promise<void>((resolve) => {
      child.stdout?.on('data', () => output.includes('PROTUS demo is ready') && resolve())
    }),
    exited.then(() => {
      throw new Error(`npm run demo ended before it was ready:\n${output}`)
    }),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`npm run demo is not ready:\n${output}`)), 90_000)
    }),
  ]).finally(() => clearTimeout(timer))
  await ready.catch((error) => {
    child.kill('SIGTERM')
    throw error
  })
  return {
    protusUrl: `http://localhost:${protusPort}`,
    messagesUrl: `http://localhost:${messagesPort}`,
    ports: { protus: protusPort, messages: messagesPort },
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM')
      return exited
    },
  }
}

/** Minor units from money as the pages show it: `₽1,000.00` is 100000. */
export const minorUnits = (text: string) => Number(text.replace(/[^0-9-]/g, ''))
