import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { makePgliteTemplate } from './pglite-template.js'

/**
 * Once per run on PGlite: migrates an empty in-memory database and saves it to a temporary file
 * that every test app's database then starts from (see pglite-template.ts).
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) return
  const dir = await mkdtemp(join(tmpdir(), 'protus-pglite-template-'))
  const file = join(dir, 'migrated.tar')
  await writeFile(file, await makePgliteTemplate())
  project.provide('pgliteTemplate', file)
  return () => rm(dir, { recursive: true, force: true })
}
