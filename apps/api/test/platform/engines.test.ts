import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

// semver comes with npm's own tool chain (it is in the lockfile many times over); no types needed.
const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null
  satisfies(version: string, range: string): boolean
}

const root = new URL('../../../../', import.meta.url)
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, root), 'utf8'))

describe('the Node.js version PROTUS declares', () => {
  it('is allowed by every locked package, so a fresh npm install warns of no unsupported engine', () => {
    const declared: string = readJson('package.json').engines.node
    const oldest = semver.minVersion(declared)?.version
    expect(oldest).toBeDefined()
    const packages: Record<string, { version?: string; engines?: { node?: string } }> =
      readJson('package-lock.json').packages
    const refusing = Object.entries(packages)
      .filter(([, entry]) => entry.engines?.node && !semver.satisfies(oldest as string, entry.engines.node))
      .map(([path, entry]) => `${path}@${entry.version} wants node ${entry.engines?.node}`)
    expect(refusing).toEqual([])
  })
})
