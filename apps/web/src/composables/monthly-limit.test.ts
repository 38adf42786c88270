import { describe, expect, it } from 'vitest'
import { limitApplies, limitFromText, limitToText, limitUsed } from './monthly-limit.ts'

describe('the monthly limit field', () => {
  it('reads major units as minor units, and an empty field as no limit', () => {
    expect(limitFromText('500', 'RUB')).toBe(50000)
    expect(limitFromText('500.50', 'RUB')).toBe(50050)
    expect(limitFromText('1 500,5', 'RUB')).toBe(150050)
    expect(limitFromText('  ', 'RUB')).toBeNull()
  })

  it('refuses text that is not a limit above zero', () => {
    for (const text of ['0', '-5', 'abc', '1,500', '0.001', '10000000000.01']) {
      expect(limitFromText(text, 'RUB'), text).toBeUndefined()
    }
  })

  it('shows a limit set before with every fraction digit, and none as an empty field', () => {
    expect(limitToText(50000, 'RUB')).toBe('500.00')
    expect(limitToText(null, 'RUB')).toBe('')
  })

  it('applies to partners that may hold or charge', () => {
    expect(limitApplies(['check', 'profile'])).toBe(false)
    expect(limitApplies(['check', 'hold'])).toBe(true)
    expect(limitApplies(['charge'])).toBe(true)
  })

  it('measures what the limit no longer leaves, from empty to full', () => {
    expect(limitUsed(50000, 38000)).toBe(24)
    expect(limitUsed(50000, 0)).toBe(100)
    expect(limitUsed(50000, 50000)).toBe(0)
  })
})
