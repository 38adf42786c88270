import type { ProblemCode } from './problems.js'

export interface FieldError {
  field: string
  message: string
}

/** The one error type services throw; the problem handler turns it into problem+json. */
export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(detail ?? code)
    this.name = 'DomainError'
  }

  /** The fields its problem body carries besides the catalogue's: all of `extra` but the reply's headers. */
  get fields(): Record<string, unknown> {
    const { headers: _headers, ...fields } = this.extra
    return fields
  }
}
