import { describe, expect, it } from 'vitest'
import { createAttemptKey } from './attempt-key.ts'
import { ApiError, NETWORK_ERROR } from './http.ts'

function counter() {
  let n = 0
  return () => `key_${++n}`
}

const failure = (status: number, code: string) => new ApiError({ status, code, title: 'Problem' })

describe('createAttemptKey', () => {
  it('reuses the key when the same request is retried after a dropped connection or a server failure', () => {
    const attempt = createAttemptKey(counter())
    expect(attempt.keyFor('50000')).toBe('key_1')
    attempt.settle(failure(0, NETWORK_ERROR))
    expect(attempt.keyFor('50000')).toBe('key_1')
    attempt.settle(failure(503, 'service_unavailable'))
    expect(attempt.keyFor('50000')).toBe('key_1')
    attempt.settle(failure(409, 'idempotency_request_in_progress'))
    expect(attempt.keyFor('50000')).toBe('key_1')
  })

  it('takes a new key for a changed request', () => {
    const attempt = createAttemptKey(counter())
    attempt.keyFor('50000')
    attempt.settle(failure(0, NETWORK_ERROR))
    expect(attempt.keyFor('60000')).toBe('key_2')
  })

  it('takes a new key once an attempt got an answer', () => {
    const attempt = createAttemptKey(counter())
    attempt.keyFor('50000')
    attempt.settle()
    expect(attempt.keyFor('50000')).toBe('key_2')
    attempt.settle(failure(400, 'validation_failed'))
    expect(attempt.keyFor('50000')).toBe('key_3')
  })
})
