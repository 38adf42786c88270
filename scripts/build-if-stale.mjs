// Builds a workspace when its sources changed since its last build (used by `npm start` and `npm run demo`).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const root = resolve(import.meta.dirname, '..')

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

export function buildIfStale(workspace, output, inputs) {
  const outputPath = join(root, workspace, output)
  const built = existsSync(outputPath) ? statSync(outputPath).mtimeMs : 0
  const changed = Math.max(...inputs.map((input) => newestMtime(join(root, workspace, input))))
  if (built >= changed) return
  console.log(`building ${workspace}…`)
  const result = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
