import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { problemCatalogue } from '../../src/plugins/problem/catalogue.js'

describe('the problem catalogue', () => {
  it('documents every code with its status in docs/problems.md', async () => {
    const doc = await readFile(new URL('../../../../docs/problems.md', import.meta.url), 'utf8')
    for (const [code, { status }] of Object.entries(problemCatalogue)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`))
      expect(row, `docs/problems.md has no row for ${code}`).toBeDefined()
      expect(row).toContain(`| ${status} |`)
    }
  })

  it('documents no code that does not exist', async () => {
    const doc = await readFile(new URL('../../../../docs/problems.md', import.meta.url), 'utf8')
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1])
    expect(documented.sort()).toEqual(Object.keys(problemCatalogue).sort())
  })
})
