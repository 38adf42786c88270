import cluster, { type Worker } from 'node:cluster'
import type { Logger } from 'pino'

/**
 * `protus start --processes N`: the primary forks N server processes that share one port
 * (`node:cluster` hands each new connection to the next process). It serves nothing itself and
 * opens no database: it starts the processes, restarts one that dies, and drains them all on
 * SIGTERM or SIGINT.
 */

/** What a server process tells the primary, and the primary's answer. */
const BUILT = 'protus:built'
const LISTEN = 'protus:listen'
/** Events or mail were written: the process that delivers them should look now, not at its next poll. */
const WAKE_WEBHOOKS = 'protus:wake-webhooks'
const WAKE_MAIL = 'protus:wake-mail'
const WAKE_UPS = new Set([WAKE_WEBHOOKS, WAKE_MAIL])
/** At most one wake-up of each kind per process in this many milliseconds, the last one never lost. */
const WAKE_WINDOW_MS = 10

/** A restarted process waits this long after its first failure, twice as long after each next one. */
const FIRST_RESTART_DELAY_MS = 500
const MAX_RESTART_DELAY_MS = 30_000
/** A process that ran this long is healthy again: its next failure restarts it at the first delay. */
const HEALTHY_AFTER_MS = 60_000

/**
 * The environment of the process in `slot`, on top of the primary's. The primary migrated the
 * database before forking; slot 0 alone runs the background work (webhook and mail delivery,
 * renewals, hold expiry, the retention sweep), so that there is one of each however many serve.
 */
export function processEnv(slot: number): Record<string, string> {
  const env: Record<string, string> = { PROTUS_MIGRATE_ON_START: 'false' }
  if (slot === 0) return env
  return {
    ...env,
    PROTUS_WEBHOOK_WORKER: 'false',
    PROTUS_MAIL_WORKER: 'false',
    PROTUS_SWEEP_INTERVAL_SECONDS: '0',
  }
}

export interface ClusterOptions {
  processes: number
  log: Logger
  /** How long the processes have to finish their requests and close after a signal. */
  graceMs: number
  /** The URL the ready line names, from the port the processes listen on. */
  urlOf: (port: number) => string
}

interface Slot {
  index: number
  worker: Worker | undefined
  startedAt: number
  failures: number
  restart: NodeJS.Timeout | undefined
}

/**
 * Runs the processes until a signal has drained them; resolves with the exit code: 0 when every
 * process closed cleanly, 1 when one did not in time or the first start failed.
 */
export function runCluster({ processes, log, graceMs, urlOf }: ClusterOptions): Promise<number> {
  const slots: Slot[] = Array.from({ length: processes }, (_, index) => ({
    index,
    worker: undefined,
    startedAt: 0,
    failures: 0,
    restart: undefined,
  }))
  let ready = false
  let stopping = false
  let exitCode = 0
  let finish: (code: number) => void = () => {}
  const done = new Promise<number>((resolve) => {
    finish = resolve
  })
  const built = new Set<number>()
  const listening = new Set<number>()

  const describe = (slot: Slot) => ({ process: slot.index + 1, process_pid: slot.worker?.process.pid })

  /** Until every process is built, none listens: the port opens when all of them can answer. */
  function onBuilt(slot: Slot) {
    built.add(slot.index)
    if (ready) slot.worker?.send(LISTEN)
    else if (built.size === processes) for (const s of slots) s.worker?.send(LISTEN)
  }

  function onListening(slot: Slot, port: number) {
    listening.add(slot.index)
    log.info({ ...describe(slot), background_work: slot.index === 0 }, 'process is listening')
    if (ready || listening.size < processes) return
    ready = true
    log.info(
      { pids: slots.map((s) => s.worker?.process.pid) },
      `PROTUS is ready on ${urlOf(port)} with ${processes} processes`,
    )
  }

  function fork(slot: Slot) {
    slot.restart = undefined
    const worker = cluster.fork(processEnv(slot.index))
    slot.worker = worker
    slot.startedAt = Date.now()
    worker.on('message', (message: unknown) => {
      if (message === BUILT) onBuilt(slot)
      // Only slot 0 delivers; its own writes wake it inside the process.
      else if (typeof message === 'string' && WAKE_UPS.has(message) && slot.index !== 0) {
        slots[0]?.worker?.send(message)
      }
    })
    worker.on('listening', (address) => onListening(slot, address.port))
    worker.on('exit', (code, signal) => onExit(slot, worker, code, signal))
  }

  function onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null) {
    if (slot.worker !== worker) return
    slot.worker = undefined
    built.delete(slot.index)
    listening.delete(slot.index)
    const how = { process: slot.index + 1, process_pid: worker.process.pid, code, signal }
    if (stopping) {
      if (code !== 0 && signal !== 'SIGTERM') exitCode = 1
      log.info(how, 'process exited')
      if (slots.every((s) => s.worker === undefined)) finish(exitCode)
      return
    }
    if (!ready) {
      log.error(how, 'a process exited before all were ready; stopping the others')
      exitCode = 1
      stop()
      return
    }
    if (Date.now() - slot.startedAt >= HEALTHY_AFTER_MS) slot.failures = 0
    const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** slot.failures)
    slot.failures += 1
    log.error({ ...how, restart_in_ms: delay }, 'process exited unexpectedly; starting it again')
    slot.restart = setTimeout(() => fork(slot), delay)
  }

  /** Each process stops accepting, finishes its requests and closes; the slowest gets SIGKILL. */
  function stop() {
    if (stopping) return
    stopping = true
    for (const slot of slots) {
      clearTimeout(slot.restart)
      slot.worker?.process.kill('SIGTERM')
    }
    if (slots.every((s) => s.worker === undefined)) {
      finish(exitCode)
      return
    }
    const force = setTimeout(() => {
      for (const slot of slots) {
        if (!slot.worker) continue
        log.error(describe(slot), 'process did not close in time; killing it')
        slot.worker.process.kill('SIGKILL')
      }
      exitCode = 1
    }, graceMs)
    force.unref()
  }

  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down every process')
    stop()
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  log.info({ processes }, `starting ${processes} processes`)
  for (const slot of slots) fork(slot)
  return done
}

/**
 * In a forked process: tells the primary the app is built and resolves when it may listen. A
 * process started by itself listens at once.
 */
export function mayListen(): Promise<void> {
  if (!cluster.isWorker || !process.send) return Promise.resolve()
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (message !== LISTEN) return
      process.off('message', onMessage)
      resolve()
    }
    process.on('message', onMessage)
    process.send?.(BUILT)
  })
}

/** What a server process wakes, and is woken for, when it is one of several. */
export interface Wakeable {
  events: { onEmitted(listener: () => void): void }
  mail: { onEnqueued(listener: () => void): void }
  webhookWorker: { wake(): void }
  mailWorker: { wake(): void }
}

/**
 * In a forked process: the webhook events and mail this process writes wake the delivering
 * process through the primary (at most one message per kind every few milliseconds), and a
 * wake-up the primary passes on wakes this process's workers (which do nothing when not running).
 */
export function relayWakeUps({ events, mail, webhookWorker, mailWorker }: Wakeable): void {
  if (!cluster.isWorker || !process.send) return
  events.onEmitted(coalesced(() => process.send?.(WAKE_WEBHOOKS)))
  mail.onEnqueued(coalesced(() => process.send?.(WAKE_MAIL)))
  process.on('message', (message: unknown) => {
    if (message === WAKE_WEBHOOKS) webhookWorker.wake()
    else if (message === WAKE_MAIL) mailWorker.wake()
  })
}

/** Calls `send` at once, then at most once more at the end of each window in which it was asked again. */
function coalesced(send: () => void): () => void {
  let window: NodeJS.Timeout | undefined
  let again = false
  const wake = () => {
    if (window) {
      again = true
      return
    }
    send()
    window = setTimeout(() => {
      window = undefined
      if (!again) return
      again = false
      wake()
    }, WAKE_WINDOW_MS)
    window.unref()
  }
  return wake
}
