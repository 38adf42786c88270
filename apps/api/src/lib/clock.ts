/** Source of the current time; tests pass a controllable one instead of sleeping. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that only moves when told to. */
export function createManualClock(start = new Date('2030-01-01T00:00:00Z')): Clock & {
  advance(ms: number): void
  set(date: Date): void
} {
  let current = start.getTime()
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms
    },
    set(date) {
      current = date.getTime()
    },
  }
}

/**
 * Real time moved forward by an offset (the sandbox clock): `now()` stays synchronous, and the
 * offset only ever grows, so the clock never runs backwards.
 */
export interface OffsetClock extends Clock {
  readonly offsetMs: () => number
  /** Takes a larger offset; a smaller one (heard late from another process) changes nothing. */
  setOffset(offsetMs: number): void
  /** Moves `now()` forward to `at` (from where it stands, never back). */
  moveTo(at: Date): void
}

export function createOffsetClock(base: Clock = systemClock, offsetMs = 0): OffsetClock {
  let offset = Math.max(0, offsetMs)
  const setOffset = (next: number) => {
    if (Number.isFinite(next) && next > offset) offset = next
  }
  return {
    now: () => new Date(base.now().getTime() + offset),
    offsetMs: () => offset,
    setOffset,
    moveTo: (at) => setOffset(at.getTime() - base.now().getTime()),
  }
}

export function isOffsetClock(clock: Clock): clock is OffsetClock {
  return 'setOffset' in clock && 'moveTo' in clock
}
