import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'api',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // On PGlite, test databases start from one migrated template made per run.
    globalSetup: ['test/support/global-setup.ts'],
  },
})
