import { describe, expect, expectTypeOf, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { ApiError } from '../api/http.ts'
import en from './en.ts'
import { pickLocale } from './locale.ts'
import { russianPlural } from './plural.ts'
import { codeMessage, KNOWN_PROBLEMS, problemMessage } from './problems.ts'
import ru from './ru.ts'
import type { MessageKey } from './use-i18n.ts'

function keyPaths(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keyPaths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  )
}

function lookup(tree: object, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], tree)
}

describe('messages', () => {
  it('has the same keys in English and Russian', () => {
    expect(keyPaths(ru).sort()).toEqual(keyPaths(en).sort())
  })

  it('has no empty message in either language', () => {
    for (const [name, tree] of Object.entries({ en, ru })) {
      for (const path of keyPaths(tree)) expect(lookup(tree, path), `${name}: ${path}`).not.toBe('')
    }
  })

  it('keeps the same parameters in both languages', () => {
    const params = (text: unknown) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const path of keyPaths(en)) {
      expect(new Set(params(lookup(ru, path))), path).toEqual(new Set(params(lookup(en, path))))
    }
  })

  // Checked by the type check (vue-tsc), where a t('…') with a key the messages lack fails too.
  it('takes only keys the English messages have', () => {
    expectTypeOf<'signIn.title' | 'problems.other'>().toExtend<MessageKey>()
    expectTypeOf<'signIn.titel'>().not.toExtend<MessageKey>()
    expectTypeOf<'signIn'>().not.toExtend<MessageKey>()
  })

  it('has a message for every problem code the app knows', () => {
    for (const code of KNOWN_PROBLEMS) expect(lookup(en, `problems.${code}`), code).toBeTypeOf('string')
  })
})

describe('problemMessage', () => {
  const apiError = (code: string, extra: Partial<{ detail: string; retryAfter: number }> = {}) =>
    new ApiError({ code, title: 'Title', status: 400, detail: extra.detail }, extra.retryAfter)

  it('names a known problem by its code', () => {
    expect(problemMessage(apiError('email_taken'))).toEqual({ key: 'problems.email_taken' })
  })

  it('tells how long to wait after too many attempts', () => {
    expect(problemMessage(apiError('too_many_attempts', { retryAfter: 30 }))).toEqual({
      key: 'problems.too_many_attempts',
      params: { seconds: 30 },
    })
    expect(problemMessage(apiError('too_many_attempts'))).toEqual({ key: 'problems.too_many_attempts_later' })
  })

  it('tells how long to wait when limited or busy', () => {
    expect(problemMessage(apiError('rate_limited', { retryAfter: 40 }))).toEqual({
      key: 'problems.rate_limited',
      params: { seconds: 40 },
    })
    expect(problemMessage(apiError('busy', { retryAfter: 1 }))).toEqual({
      key: 'problems.busy',
      params: { seconds: 1 },
    })
    expect(problemMessage(apiError('busy'))).toEqual({ key: 'problems.busy_later' })
  })

  it('passes on the server’s words for a code the app does not know', () => {
    expect(problemMessage(apiError('service_archived', { detail: 'svc_1 is archived' }))).toEqual({
      key: 'problems.other',
      params: { detail: 'svc_1 is archived' },
    })
  })

  it('falls back to a general message for anything that is not an API error', () => {
    expect(problemMessage(new TypeError('x is undefined'))).toEqual({ key: 'problems.unknown' })
  })
})

describe('codeMessage', () => {
  it('names a refusal kept by its code alone as the same refusal answered by a request', () => {
    expect(codeMessage('insufficient_funds', 'available 100, needs 500')).toEqual({
      key: 'problems.insufficient_funds',
    })
    expect(codeMessage('some_new_code', 'the server’s words')).toEqual({
      key: 'problems.other',
      params: { detail: 'the server’s words' },
    })
    expect(codeMessage('some_new_code')).toEqual({ key: 'problems.unknown' })
  })
})

describe('subscription periods', () => {
  const every = (locale: 'en' | 'ru', count: number) => {
    const { t } = createI18n({
      legacy: false,
      locale,
      messages: { en, ru },
      pluralRules: { ru: russianPlural },
    }).global
    return t('subscriptions.amountEvery', {
      amount: '500',
      period: t('subscriptions.every.month', count),
    })
  }

  it('reads "every month" and "every 3 months" in English', () => {
    expect(every('en', 1)).toBe('500 every month')
    expect(every('en', 3)).toBe('500 every 3 months')
  })

  it('agrees with the count in Russian', () => {
    expect(every('ru', 1)).toBe('500 каждый месяц')
    expect(every('ru', 21)).toBe('500 каждый 21 месяц')
    expect(every('ru', 3)).toBe('500 каждые 3 месяца')
    expect(every('ru', 12)).toBe('500 каждые 12 месяцев')
  })
})

describe('russianPlural', () => {
  const forms = ['месяц', '{n} месяц', '{n} месяца', '{n} месяцев']
  const pick = (n: number) => forms[russianPlural(n, forms.length)]

  it('chooses the Russian form for a count', () => {
    expect(pick(1)).toBe('месяц')
    expect(pick(21)).toBe('{n} месяц')
    expect(pick(2)).toBe('{n} месяца')
    expect(pick(24)).toBe('{n} месяца')
    expect(pick(5)).toBe('{n} месяцев')
    expect(pick(11)).toBe('{n} месяцев')
    expect(pick(12)).toBe('{n} месяцев')
    expect(pick(111)).toBe('{n} месяцев')
  })
})

describe('pickLocale', () => {
  it('prefers the remembered choice, then the browser languages, then English', () => {
    expect(pickLocale({ stored: 'ru', languages: ['en-US'] })).toBe('ru')
    expect(pickLocale({ stored: null, languages: ['de-DE', 'ru-RU'] })).toBe('ru')
    expect(pickLocale({ stored: 'fr', languages: ['de'] })).toBe('en')
  })
})
