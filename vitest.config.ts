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
  },
})
