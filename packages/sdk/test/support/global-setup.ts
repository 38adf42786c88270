import type { TestProject } from 'vitest/node'
import { startProtus } from './server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    protusUrl: string
  }
}

/**
 * One PROTUS server for every integration test file (each registers companies of its own):
 * starting the WASM database and migrating it is the slow part, so it happens once.
 */
export default async function setup(project: TestProject) {
  const server = await startProtus({
    PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
    PROTUS_WEBHOOK_POLL_MS: '50',
    // Failed deliveries come again after a second instead of five.
    PROTUS_WEBHOOK_RETRY_SCHEDULE: '1,1,1',
  })
  project.provide('protusUrl', server.baseUrl)
  return () => server.stop()
}
