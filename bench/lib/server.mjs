// The servers under test (PROTUS, and oidc-provider for the OAuth rows): each its own process,
// so its memory and CPU are its own.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs'
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
export function startServer({
  root,
  databaseUrl,
  port,
  secretKey,
  logFile,
  nodeArgs = [],
  loopDelayFile,
  env = {},
}) {
  const url = `http://${HOST}:${port}`
  return startProcess({
    script: join(root, 'apps/api/dist/cli.js'),
    args: ['start'],
    cwd: root,
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST,
      LOG_LEVEL: 'warn',
      PROTUS_SECRET_KEY: secretKey,
      PROTUS_MODE: 'sandbox',
      PROTUS_REGISTRATIONS_PER_HOUR: '1000000',
      PROTUS_TOPUPS_PER_MINUTE: '1000000',
      PROTUS_MIGRATE_ON_START: 'true',
      ...env,
    },
    url,
    logFile,
    nodeArgs,
    loopDelayFile,
    ready: async () => (await fetch(`${url}/readyz`)).ok,
  })
}

/**
 * Starts `protus worker` (webhook delivery and the hold sweeper, no HTTP) against `databaseUrl`
 * and waits until it says it runs. `env` is added to its environment.
 */
export function startWorker({ root, databaseUrl, secretKey, logFile, nodeArgs = [], env = {} }) {
  return startProcess({
    script: join(root, 'apps/api/dist/cli.js'),
    args: ['worker'],
    cwd: root,
    env: {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'info',
      PROTUS_SECRET_KEY: secretKey,
      PROTUS_MODE: 'sandbox',
      PROTUS_REGISTRATIONS_PER_HOUR: '1000000',
      PROTUS_TOPUPS_PER_MINUTE: '1000000',
      ...env,
    },
    url: undefined,
    logFile,
    nodeArgs,
    ready: async () =>
      existsSync(logFile) && readFileSync(logFile, 'utf8').includes('PROTUS worker is running'),
  })
}

/**
 * Starts bench/oidc-provider.mjs with `store` (memory or postgres) and waits until it has minted
 * `grants` grants through its own flow; answers the process with `client` and `tokens` besides.
 */
export async function startOidcProvider({
  root,
  store,
  databaseUrl,
  poolSize,
  port,
  grants,
  logFile,
  nodeArgs = [],
  loopDelayFile,
}) {
  const tokensFile = `${logFile}.tokens.json`
  rmSync(tokensFile, { force: true })
  const url = `http://${HOST}:${port}`
  const server = await startProcess({
    script: join(root, 'bench/oidc-provider.mjs'),
    cwd: root,
    env: {
      HOST,
      PORT: String(port),
      OIDC_STORE: store,
      DATABASE_URL: databaseUrl ?? '',
      OIDC_POOL_SIZE: String(poolSize),
      BENCH_GRANTS: String(grants),
      BENCH_TOKENS_FILE: tokensFile,
    },
    url,
    logFile,
    nodeArgs,
    loopDelayFile,
    ready: async () => existsSync(tokensFile),
  })
  const { client, tokens } = JSON.parse(readFileSync(tokensFile, 'utf8'))
  rmSync(tokensFile, { force: true })
  return Object.assign(server, { client, tokens })
}

/**
 * Starts a node `script` in a process of its own (with the event-loop delay preload) and waits
 * until `ready()` resolves true; answers its url and pid, and a way to stop it.
 */
export async function startProcess({
  script,
  args = [],
  cwd,
  env,
  url,
  logFile,
  nodeArgs = [],
  loopDelayFile,
  ready,
}) {
  const log = createWriteStream(logFile)
  const preload = fileURLToPath(new URL('./loop-delay.preload.mjs', import.meta.url))
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', pathToFileURL(preload).href, script, ...args],
    {
      cwd,
      env: { ...process.env, ...env, BENCH_LOOP_DELAY_FILE: loopDelayFile ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  let exit
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal }
      resolve(exit)
    })
  })

  const deadline = Date.now() + 60_000
  for (;;) {
    if (exit) throw new Error(`${script} exited at start (${JSON.stringify(exit)}); see ${logFile}`)
    try {
      if (await ready()) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${script} did not get ready within 60 s; see ${logFile}`)
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
