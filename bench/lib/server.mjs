// The PROTUS server under test: its own process, so its memory and CPU are its own.
import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const HOST = '127.0.0.1'

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

/**
 * Starts `protus start` against `databaseUrl` and waits until /readyz answers. Its output goes to
 * `logFile`; `nodeArgs` go to node itself (for example `--cpu-prof`). With `loopDelayFile`, the
 * server's event-loop delay is written there when it exits.
 */
export async function startServer({
  root,
  databaseUrl,
  port,
  secretKey,
  logFile,
  nodeArgs = [],
  loopDelayFile,
}) {
  const log = createWriteStream(logFile)
  const preload = fileURLToPath(new URL('./loop-delay.preload.mjs', import.meta.url))
  const args = [
    ...nodeArgs,
    '--import',
    pathToFileURL(preload).href,
    join(root, 'apps/api/dist/cli.js'),
    'start',
  ]
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST,
      LOG_LEVEL: 'warn',
      PROTUS_SECRET_KEY: secretKey,
      PROTUS_MIGRATE_ON_START: 'true',
      BENCH_LOOP_DELAY_FILE: loopDelayFile ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  let exit
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal }
      resolve(exit)
    })
  })

  const url = `http://${HOST}:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (exit) throw new Error(`the server exited at start (${JSON.stringify(exit)}); see ${logFile}`)
    try {
      const res = await fetch(`${url}/readyz`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the server did not get ready within 60 s; see ${logFile}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }

  return {
    url,
    pid: child.pid,
    get alive() {
      return exit === undefined
    },
    /** Starts the event-loop delay measurement afresh (see loop-delay.preload.mjs). */
    resetLoopDelay() {
      child.kill('SIGUSR2')
    },
    /** SIGTERM, as an operator would; SIGKILL if it has not gone in 15 s. */
    async stop() {
      if (exit) return exit
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const result = await exited
      clearTimeout(timer)
      return result
    },
  }
}
