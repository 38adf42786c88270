import { describe, expect, it } from 'vitest'
import { localeOf } from './email-tokens.js'

const of = (acceptLanguage?: string, locale?: 'en' | 'ru') =>
  localeOf({ body: { locale }, headers: { 'accept-language': acceptLanguage } })

describe('localeOf', () => {
  it('takes the body’s locale, else the best of en and ru in Accept-Language, else en', () => {
    expect(of('ru', 'en')).toBe('en')
    expect(of('ru-RU,ru;q=0.9')).toBe('ru')
    expect(of('de-DE,ru;q=0.9,en;q=0.8')).toBe('ru')
    expect(of('en;q=0.5,ru;q=0.7')).toBe('ru')
    expect(of('ru;q=0,en-GB')).toBe('en')
    expect(of('fr')).toBe('en')
    expect(of(undefined)).toBe('en')
  })
})
