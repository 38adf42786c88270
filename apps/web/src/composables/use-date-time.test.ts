import { describe, expect, it } from 'vitest'
import { relativeIn } from './use-date-time.ts'

describe('relativeIn', () => {
  it('says a wait in the largest unit that reads naturally, in either language', () => {
    expect(relativeIn('en', 5300)).toBe('in 5 seconds')
    expect(relativeIn('ru', 5300)).toBe('через 5 секунд')
    expect(relativeIn('en', 5 * 60_000 + 20_000)).toBe('in 5 minutes')
    expect(relativeIn('ru', 3_600_000 * 1.09)).toBe('через 1 час')
    expect(relativeIn('en', 33 * 60_000)).toBe('in 33 minutes')
    expect(relativeIn('en', 12 * 3_600_000)).toBe('in 12 hours')
    expect(relativeIn('en', 0)).toBe('in 0 seconds')
  })
})
