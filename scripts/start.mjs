// `npm start`: builds the API and the web app when their sources changed since the last build,
// then runs `protus start` in the foreground.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { buildIfStale, root } from './build-if-stale.mjs'

buildIfStale('apps/api', 'dist/.tsbuildinfo', ['src', 'package.json', 'tsconfig.build.json'])
// The web app takes the generated wire types' run-time lists from the SDK.
buildIfStale('packages/sdk', 'dist/.tsbuildinfo', ['src', 'package.json', 'tsconfig.build.json'])
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
