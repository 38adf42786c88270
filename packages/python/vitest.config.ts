import { defineProject } from 'vitest/config'

export default defineProject({
  root: import.meta.dirname,
  test: {
    name: 'python',
    environment: 'node',
    include: ['python.test.ts'],
    // The suites start PROTUS, install the package and run two test processes side by side.
    testTimeout: 900_000,
  },
})
