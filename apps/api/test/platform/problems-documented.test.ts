import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { problemCatalogue } from '../../src/lib/problems.js'

/** The code → status rows of the table in docs/problems.md (cells may be padded). */
async function documentedRows(): Promise<Map<string, number>> {
  const doc = await readFile(new URL('../../../../docs/problems.md', import.meta.url), 'utf8')
  const rows = new Map<string, number>()
  for (const match of doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm))
    rows.set(match[1] as string, Number(match[2]))
  return rows
}

describe('the problem catalogue', () => {
  it('documents every code with its status in docs/problems.md', async () => {
    const rows = await documentedRows()
    for (const [code, { status }] of Object.entries(problemCatalogue)) {
      expect(rows.get(code), `docs/problems.md: ${code}`).toBe(status)
    }
  })

  it('documents no code that does not exist', async () => {
    const rows = await documentedRows()
    expect([...rows.keys()].sort()).toEqual(Object.keys(problemCatalogue).sort())
  })
})
