import { describe, expect, it } from 'vitest'
import { createManualClock, createOffsetClock, isOffsetClock, systemClock } from './clock.js'

describe('createOffsetClock', () => {
  it('runs at its base time plus the offset, and moves with the base', () => {
    const base = createManualClock(new Date('2030-01-01T00:00:00Z'))
    const clock = createOffsetClock(base, 60_000)
    expect(clock.now().toISOString()).toBe('2030-01-01T00:01:00.000Z')
    base.advance(1_000)
    expect(clock.now().toISOString()).toBe('2030-01-01T00:01:01.000Z')
  })

  it('moves to a later moment, and never back (a smaller offset heard late changes nothing)', () => {
    const base = createManualClock(new Date('2030-01-01T00:00:00Z'))
    const clock = createOffsetClock(base)
    clock.moveTo(new Date('2030-03-01T00:00:00Z'))
    expect(clock.now().toISOString()).toBe('2030-03-01T00:00:00.000Z')
    const offset = clock.offsetMs()
    clock.moveTo(new Date('2030-02-01T00:00:00Z'))
    clock.setOffset(offset - 1)
    clock.setOffset(Number.NaN)
    expect(clock.now().toISOString()).toBe('2030-03-01T00:00:00.000Z')
    clock.setOffset(offset + 1_000)
    expect(clock.now().toISOString()).toBe('2030-03-01T00:00:01.000Z')
  })

  it('starts on real time by default and tells itself apart from other clocks', () => {
    const clock = createOffsetClock()
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1_000)
    expect(isOffsetClock(clock)).toBe(true)
    expect(isOffsetClock(systemClock)).toBe(false)
    expect(isOffsetClock(createManualClock())).toBe(false)
  })
})
