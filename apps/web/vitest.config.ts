import { defineProject } from 'vitest/config'

export default defineProject({
  root: import.meta.dirname,
  test: {
    name: 'web',
    environment: 'node',
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // The browser tests' servers start their PGlite databases from one migrated template per run.
    globalSetup: ['e2e/global-setup.ts'],
  },
})
