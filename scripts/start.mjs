// `npm start`: builds the API and the web app when their sources changed since the last build,
// then runs `protus start` in the foreground.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

function buildIfStale(workspace, output, inputs) {
  const outputPath = join(root, workspace, output)
  const built = existsSync(outputPath) ? statSync(outputPath).mtimeMs : 0
  const changed = Math.max(...inputs.map((input) => newestMtime(join(root, workspace, input))))
  if (built >= changed) return
  console.log(`building ${workspace}…`)
  const result = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

buildIfStale('apps/api', 'dist/.tsbuildinfo', ['src', 'package.json', 'tsconfig.build.json'])
buildIfStale('apps/web', 'dist/index.html', ['src', 'public', 'index.html', 'package.json', 'vite.config.ts'])

const server = spawn(
  process.execPath,
  [join(root, 'apps/api/dist/cli.js'), 'start', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
