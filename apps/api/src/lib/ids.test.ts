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

  it('only grows within a process, in the same millisecond and when the clock steps back', () => {
    const ids = [
      newId('evt', 1_800_000_000_000),
      newId('evt', 1_800_000_000_000),
      newId('evt', 1_799_999_999_000),
    ]
    for (let i = 0; i < 1000; i++) ids.push(newId('evt', 1_800_000_000_000))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
