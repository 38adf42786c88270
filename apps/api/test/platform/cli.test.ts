import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { databaseUrl, freshDatabaseEnv } from '../support/app.js'

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'protus-cli-'))
})
afterAll(() => rm(dataDir, { recursive: true, force: true }))

function run(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? '', PROTUS_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

function output(child: ChildProcess): { text: () => string } {
  let text = ''
  child.stdout?.on('data', (d) => {
    text += d
  })
  child.stderr?.on('data', (d) => {
    text += d
  })
  return { text: () => text }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))

// The compiled CLI exists after `npm run build` (which `npm test` runs first).
describe.skipIf(!existsSync(cli))('the protus CLI', () => {
  it('migrates a new embedded database, then finds it up to date', async () => {
    const first = run(['migrate'])
    const out = output(first)
    expect(await exited(first)).toBe(0)
    expect(out.text()).toMatch(/applied: .*identity\/001-identity/)
    const second = run(['migrate'])
    const out2 = output(second)
    expect(await exited(second)).toBe(0)
    expect(out2.text()).toContain('database is up to date')
  })

  it('refuses a bad configuration with every problem listed and exit code 1', async () => {
    const child = run(['start'], { PORT: 'x', LOG_LEVEL: 'loud' })
    const out = output(child)
    expect(await exited(child)).toBe(1)
    expect(out.text()).toContain('PORT must be an integer')
    expect(out.text()).toContain('LOG_LEVEL must be one of')
  })

  it('starts, serves, and shuts down cleanly on SIGTERM', async () => {
    const database = await freshDatabaseEnv()
    onTestFinished(() => database.drop())
    const env: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      PROTUS_MODE: 'sandbox',
      PROTUS_SECRET_KEY: 'ab'.repeat(32),
      ...database.env,
    }
    if (!databaseUrl) delete env.PROTUS_DATA_DIR
    const child = run(['start'], env)
    const out = output(child)
    const ready = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready: ${out.text()}`)), 20_000)
      const check = setInterval(() => {
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out.text())
        if (match?.[1]) {
          clearInterval(check)
          clearTimeout(timer)
          resolve(match[1])
        }
      }, 50)
    })
    const res = await fetch(`${ready}/healthz`)
    expect(await res.json()).toEqual({ status: 'ok' })
    child.kill('SIGTERM')
    expect(await exited(child)).toBe(0)
    expect(out.text()).toContain('shutting down')
  })

  it('prints usage for an unknown command with exit code 2', async () => {
    const child = run(['frobnicate'])
    const out = output(child)
    expect(await exited(child)).toBe(2)
    expect(out.text()).toContain('Usage: protus')
  })
})
