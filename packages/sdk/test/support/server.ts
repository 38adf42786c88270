import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'

const cliPath = fileURLToPath(new URL('../../../../apps/api/dist/cli.js', import.meta.url))

/** A free loopback port, so the server's public URL is known before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

export interface ProtusServer {
  baseUrl: string
  output: () => string
  stop(): Promise<void>
}

/**
 * Starts the built PROTUS server (`protus start`) as its own process on loopback, with an
 * in-memory database, and waits until it answers.
 */
export async function startProtus(env: Record<string, string> = {}): Promise<ProtusServer> {
  if (!existsSync(cliPath)) {
    throw new Error(
      `${cliPath} is missing: run \`npm run build -w apps/api\` before the SDK's integration tests`,
    )
  }
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(process.execPath, [cliPath, 'start'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      PROTUS_DATA_DIR: ':memory:',
      // Many people and top-ups come from one test address; the limits' own tests lower these.
      PROTUS_REGISTRATIONS_PER_HOUR: '1000000',
      PROTUS_TOPUPS_PER_MINUTE: '1000000',
      PROTUS_PUBLIC_URL: baseUrl,
      PROTUS_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout?.on('data', (d) => {
    text += d
  })
  child.stderr?.on('data', (d) => {
    text += d
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PROTUS exited: ${text}`)
    if (Date.now() > deadline) {
      child.kill()
      throw new Error(`PROTUS did not start: ${text}`)
    }
    const ready = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ready) break
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    baseUrl,
    output: () => text,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/** The server the global setup started for this run. */
export function protusServer(): { baseUrl: string } {
  return { baseUrl: inject('protusUrl') }
}
