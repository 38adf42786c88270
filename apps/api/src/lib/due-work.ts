/**
 * Background work that comes due at moments of the clock (renewals, hold expiry, webhook
 * retries). The sandbox clock asks each source when it is next due and runs them in time order
 * while it moves forward.
 */
export interface DueWork {
  name: string
  /** The earliest moment some of its work is due (maybe already past), or null when none waits. */
  nextDueAt(): Promise<Date | null>
  /** Does whatever is due at the clock's current time, and resolves once it is done. */
  runDue(): Promise<unknown>
}
