import { describe, expect, it } from 'vitest'
import { findUnstorable, unstorable } from './text.js'

describe('unstorable', () => {
  it('accepts any Unicode text without NUL, surrogate pairs included', () => {
    for (const text of ['', 'plain', 'é', '😀', 'a😀b', '\u202e', '\uffff', '\u0001']) {
      expect(unstorable(text)).toBeUndefined()
    }
  })

  it('refuses the NUL character and every lone surrogate', () => {
    expect(unstorable('a\u0000')).toMatch(/NUL/)
    for (const text of [
      '\ud800',
      'a\udbffb',
      '\udc00',
      'x\udfff',
      '\ud800\ud800\udc00',
      '\ud83d\ude00\ude00',
    ]) {
      expect(unstorable(text)).toMatch(/surrogate/)
    }
  })
})

describe('findUnstorable', () => {
  it('names each bad string by its JSON Pointer, and a bad key by its object', () => {
    const found = findUnstorable({ ok: 'x', a: { 'b/c~d': ['fine', 'bad\u0000'] }, m: { 'k\ud800': 'v' } })
    expect(found.map((f) => f.path).sort()).toEqual(['/a/b~1c~0d/1', '/m'])
    expect(found.find((f) => f.path === '/m')?.message).toMatch(/^has a field name that/)
  })

  it('names a bad top-level string as the root', () => {
    expect(findUnstorable('\u0000')).toEqual([{ path: '/', message: expect.stringMatching(/NUL/) }])
  })

  it('walks values nested far deeper than the call stack would allow', () => {
    let value: unknown = '\u0000'
    for (let i = 0; i < 200_000; i++) value = [value]
    expect(findUnstorable(value)).toHaveLength(1)
  })

  it('stops at the limit', () => {
    expect(
      findUnstorable(
        Array.from({ length: 100 }, () => '\u0000'),
        5,
      ),
    ).toHaveLength(5)
  })
})
