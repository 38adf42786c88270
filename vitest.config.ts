import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      'apps/api/vitest.config.ts',
      'apps/web/vitest.config.ts',
      'packages/sdk/vitest.config.ts',
      'examples/messages/vitest.config.ts',
      'packages/python/vitest.config.ts',
    ],
    reporters: ['default', './scripts/summary-reporter.ts'],
    // Vitest's default number of workers (cores - 1, one file at a time on two cores). Two at a
    // time on two cores made the PostgreSQL run no faster (1060 s against 1030 s) and made the
    // browser tests miss their waits while another file loaded the machine.
  },
})
