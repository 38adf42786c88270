import { ApiError, NETWORK_ERROR } from './http.ts'

/**
 * Whether a failed request may still have been carried out: the connection dropped, the server
 * failed, or the same key is being processed right now. Only then may a retry reuse the key.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false
  return (
    error.code === NETWORK_ERROR || error.status >= 500 || error.code === 'idempotency_request_in_progress'
  )
}

export interface AttemptKey {
  /** The Idempotency-Key for sending `request`: the same one while the same request is retried. */
  keyFor(request: string): string
  /** After an answer: forget the key unless the outcome of the attempt is unknown. */
  settle(error?: unknown): void
}

/**
 * One Idempotency-Key per logical attempt. A person who presses the button again after a
 * dropped connection retries the same attempt and cannot pay twice; a changed request, or one
 * that got an answer, is a new attempt with a new key.
 */
export function createAttemptKey(generate: () => string = () => crypto.randomUUID()): AttemptKey {
  let current: { request: string; key: string } | null = null
  return {
    keyFor(request) {
      if (current?.request !== request) current = { request, key: generate() }
      return current.key
    },
    settle(error) {
      if (error === undefined || !outcomeUnknown(error)) current = null
    },
  }
}
