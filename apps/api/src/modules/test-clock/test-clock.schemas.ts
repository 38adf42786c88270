import { Type } from 'typebox'
import { Timestamp } from '../../lib/schemas.js'

/** A leap year and a day: enough to cross any period once, small enough to answer in one request. */
export const MAX_ADVANCE_SECONDS = 31_622_400

export const SandboxClock = Type.Object(
  { now: Timestamp },
  {
    additionalProperties: false,
    $id: 'SandboxClock',
    description: "The sandbox clock's current time: what every object's times and every time-based rule read",
  },
)

export const AdvanceClockBody = Type.Object(
  {
    advance_seconds: Type.Integer({
      minimum: 1,
      maximum: MAX_ADVANCE_SECONDS,
      description: 'How far to move the clock forward, in seconds (at most 366 days)',
    }),
  },
  { additionalProperties: false },
)

export const testClockSchemas = [SandboxClock]
