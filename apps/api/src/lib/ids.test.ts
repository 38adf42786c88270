import { describe, expect, it } from 'vitest'
import { idPattern, newId } from './ids.js'

describe('newId', () => {
  it('makes prefixed ids that match their pattern and sort by creation time', () => {
    const a = newId('svc', 1_700_000_000_000)
    const b = newId('svc', 1_700_000_000_001)
    expect(a).toMatch(new RegExp(idPattern('svc')))
    expect(a < b).toBe(true)
    expect(newId('svc')).not.toBe(newId('svc'))
  })
})
