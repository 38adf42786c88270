// What the kernel says about processes: resident memory and CPU time, read from /proc.
import { readdirSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'

const TICKS_PER_SECOND = 100 // USER_HZ; 100 on every Linux this runs on

function read(path) {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined // the process is gone
  }
}

/** A `kB` line of /proc/<pid>/status (VmRSS, VmHWM) in bytes. */
export function statusBytes(pid, field) {
  const match = read(`/proc/${pid}/status`)?.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))
  return match ? Number(match[1]) * 1024 : undefined
}

/** The command name and user+system CPU ticks of one process. */
function stat(pid) {
  const text = read(`/proc/${pid}/stat`)
  if (!text) return undefined
  const close = text.lastIndexOf(')')
  const fields = text.slice(close + 2).split(' ') // fields[0] is field 3 (state)
  return { comm: text.slice(text.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) }
}

function pidsNamed(comm) {
  const pids = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    if (stat(entry)?.comm === comm) pids.push(Number(entry))
  }
  return pids
}

function machineTicks() {
  const [, ...numbers] = (read('/proc/stat') ?? '').split('\n')[0].trim().split(/\s+/)
  const values = numbers.map(Number)
  const total = values.reduce((a, b) => a + b, 0)
  return { total, idle: (values[3] ?? 0) + (values[4] ?? 0) }
}

/**
 * Samples CPU and memory while a scenario runs. `groups` maps a name to a function that lists
 * the pids to watch (called on every sample, so processes that start later are counted too).
 * `stop()` answers, per group, the CPU used as a percentage of one core, the CPU everything else
 * on the machine used, and the peak RSS of the `rssOf` pid.
 */
export function startSampler({ groups, rssOf, intervalMs = 250 }) {
  const started = performance.now()
  const machineStart = machineTicks()
  const seen = Object.fromEntries(Object.keys(groups).map((name) => [name, new Map()]))
  let peakRss = 0

  function sample(first) {
    for (const [name, list] of Object.entries(groups)) {
      for (const pid of list()) {
        const s = stat(pid)
        if (!s) continue
        const known = seen[name].get(pid)
        // A process that starts during the window counts from zero.
        if (known) known.last = s.ticks
        else seen[name].set(pid, { first: first ? s.ticks : 0, last: s.ticks })
      }
    }
    if (rssOf) peakRss = Math.max(peakRss, statusBytes(rssOf, 'VmRSS') ?? 0)
  }

  sample(true)
  const timer = setInterval(() => sample(false), intervalMs)
  return {
    stop() {
      clearInterval(timer)
      sample(false)
      const seconds = (performance.now() - started) / 1000
      const machineEnd = machineTicks()
      const total = machineEnd.total - machineStart.total
      const cpu = {}
      for (const [name, pids] of Object.entries(seen)) {
        let ticks = 0
        for (const { first, last } of pids.values()) ticks += last - first
        cpu[name] = (100 * ticks) / TICKS_PER_SECOND / seconds
      }
      const machineBusy = total > 0 ? (100 * (total - (machineEnd.idle - machineStart.idle))) / total : 0
      const watched = Object.values(cpu).reduce((a, b) => a + b, 0)
      // Whatever else ran on the machine meanwhile, in the same unit (% of one core).
      const others = Math.max(0, machineBusy * cpus().length - watched)
      return { cpu, machineBusy, others, peakRss }
    },
  }
}

export const postgresPids = () => pidsNamed('postgres')

/** `pid` and every process under it (a server with `--processes N`: the primary and its workers). */
export function processTree(pid) {
  const all = [pid]
  for (let i = 0; i < all.length; i++) {
    let tasks = []
    try {
      tasks = readdirSync(`/proc/${all[i]}/task`)
    } catch {
      continue // gone
    }
    for (const task of tasks) {
      const children = read(`/proc/${all[i]}/task/${task}/children`) ?? ''
      for (const child of children.trim().split(/\s+/).filter(Boolean)) all.push(Number(child))
    }
  }
  return all
}

/**
 * The resident memory of every process of a server: the largest single process (the issue's
 * limit is per process), the sum, and how many there are. `field` is VmRSS (now) or VmHWM (peak).
 */
export function treeBytes(pid, field) {
  const sizes = processTree(pid)
    .map((p) => statusBytes(p, field))
    .filter((n) => n !== undefined)
  return {
    largest: sizes.length > 0 ? Math.max(...sizes) : undefined,
    total: sizes.reduce((a, b) => a + b, 0),
    processes: sizes.length,
  }
}
