import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { missingPrerequisite } from './support.js'

/**
 * When the browser tests can run: the API's migrated PGlite template, made once for the run, that
 * every test server's database starts from (apps/api/test/support/pglite-template.ts).
 */
export default async function setup(project: TestProject) {
  if (missingPrerequisite()) return
  // Loaded by path so the web type check does not pull in the API's sources.
  const api = fileURLToPath(new URL('../../api/test/support/global-setup.ts', import.meta.url))
  const { default: apiSetup } = (await import(/* @vite-ignore */ api)) as {
    default: (project: TestProject) => Promise<(() => Promise<void>) | undefined>
  }
  return apiSetup(project)
}
