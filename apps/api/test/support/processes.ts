import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
export const cliBuilt = existsSync(cliPath)

export interface ServerProcess {
  baseUrl: string
  child: ChildProcess
  output: () => string
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export type CliProcess = Omit<ServerProcess, 'baseUrl'>

/**
 * Starts `protus <command>` as its own process and waits until its output matches `ready`;
 * answers the process and the match.
 */
async function startCliProcess(
  command: string,
  env: Record<string, string>,
  ready: RegExp,
  args: string[] = [],
): Promise<{ process: CliProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [cliPath, command, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PROTUS_MODE: 'sandbox',
      // Many people and top-ups come from one test address; the limits' own tests lower these.
      PROTUS_REGISTRATIONS_PER_HOUR: '1000000',
      PROTUS_TOPUPS_PER_MINUTE: '1000000',
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
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    // PGlite's first start (initdb and migrations in WASM) takes tens of seconds on a busy machine.
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`protus ${command} did not start within 90 s: ${text}`))
    }, 90_000)
    const poll = setInterval(() => {
      const found = ready.exec(text)
      if (found) {
        clearInterval(poll)
        clearTimeout(timer)
        resolve(found)
      }
    }, 50)
    child.on('exit', () => {
      clearInterval(poll)
      clearTimeout(timer)
      reject(new Error(`protus ${command} exited: ${text}`))
    })
  })
  return {
    match,
    process: {
      child,
      output: () => text,
      async stop(signal = 'SIGTERM') {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal)
        return exited
      },
    },
  }
}

/** Starts `protus start` as its own process on a free port and waits until it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const started = await startCliProcess('start', env, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/)
  return { ...started.process, baseUrl: started.match[1] as string }
}

/**
 * Starts `protus start --processes <count>` on a free port and waits until every process
 * listens; answers besides the pids of the server processes (the child is their primary).
 */
export async function startClusterProcess(
  env: Record<string, string>,
  count: number,
): Promise<ServerProcess & { pids: number[] }> {
  const ready = new RegExp(
    `"pids":\\[([0-9,]+)\\].*PROTUS is ready on (http://127\\.0\\.0\\.1:\\d+) with ${count} processes`,
  )
  const started = await startCliProcess('start', env, ready, ['--processes', String(count)])
  const pids = (started.match[1] as string).split(',').map(Number)
  return { ...started.process, baseUrl: started.match[2] as string, pids }
}

/** Starts `protus worker` (webhooks and the hold sweeper, no HTTP) and waits until it runs. */
export async function startWorkerProcess(env: Record<string, string>): Promise<CliProcess> {
  return (await startCliProcess('worker', env, /PROTUS worker is running/)).process
}

/** Runs a one-shot CLI command (`ledger verify`, `migrate`, …) to its end. */
export function runCli(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', PROTUS_MODE: 'sandbox', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr }),
    )
  })
}
