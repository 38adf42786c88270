import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      'apps/api/vitest.config.ts',
      'apps/web/vitest.config.ts',
      'packages/sdk/vitest.config.ts',
      'examples/messages/vitest.config.ts',
    ],
    reporters: ['default', './scripts/summary-reporter.ts'],
    // Vitest's default (cores - 1) runs one file at a time on a 2-core machine, while much of a
    // test waits on the database or a child process. Every test app has a database of its own
    // (PGlite in memory, or its own PostgreSQL schema) and listens on a free port, so two files
    // run side by side; examples/messages keeps its files in turn (fileParallelism: false). At most
    // four: each file's apps and server processes hold PostgreSQL connections (the server's
    // default max_connections is 100).
    maxWorkers: Math.min(4, Math.max(2, availableParallelism() - 1)),
  },
})
