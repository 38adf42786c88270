// Where a server spent its CPU: the functions with the most self time in a V8 .cpuprofile, and
// the share of each package. `BENCH_CPU_PROF=1 npm run bench` writes one profile per scenario to
// bench/results/profiles/; then: node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs'

const [file, topArg = '25'] = process.argv.slice(2)
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(profile.nodes.map((n) => [n.id, n]))

// Each sample is one tick in one node; its duration is the gap to the next sample.
const selfMicros = new Map()
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0))
}

const where = (frame) => {
  const url = frame.url.replace(/^file:\/\//, '')
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]
  if (pkg) return { place: pkg, pkg }
  if (url.includes('/apps/api/dist/'))
    return { place: url.slice(url.indexOf('/apps/api/dist/') + 1), pkg: 'protus' }
  if (url.startsWith('node:')) return { place: url, pkg: 'node' }
  return { place: url || '(native)', pkg: url ? 'other' : frame.functionName || '(native)' }
}

const functions = new Map()
const packages = new Map()
let total = 0
for (const [id, micros] of selfMicros) {
  const frame = byId.get(id).callFrame
  const { place, pkg } = where(frame)
  const key = `${frame.functionName || '(anonymous)'}  ${place}:${frame.lineNumber + 1}`
  functions.set(key, (functions.get(key) ?? 0) + micros)
  packages.set(pkg, (packages.get(pkg) ?? 0) + micros)
  total += micros
}

const show = (map, limit) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}`)
    .join('\n')

console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nby package or place:\n${show(packages, 15)}`)
console.log(`\ntop functions by self time:\n${show(functions, Number(topArg))}`)
