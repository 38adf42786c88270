import { describe, expect, it } from 'vitest'
import type { RequestedScope } from '../api/types.ts'
import { chosenScopes, initialChoices, shownScopes } from './consent-choices.ts'

const requested = (...scopes: string[]): RequestedScope[] =>
  scopes.map((scope) => ({ scope, granted: false }) as RequestedScope)

describe('consent choices', () => {
  it('shows the requested scopes money first, whatever order the partner asked in', () => {
    const shown = shownScopes(requested('email', 'charge', 'check'))
    expect(shown.map(({ scope }) => scope)).toEqual(['check', 'charge', 'email'])
  })

  it('starts with every requested scope switched on', () => {
    expect(initialChoices(requested('check', 'hold', 'charge'))).toEqual({
      check: true,
      hold: true,
      charge: true,
    })
  })

  it('allows only the scopes left switched on', () => {
    const scopes = requested('check', 'hold', 'charge')
    expect(chosenScopes(scopes, { check: true, hold: false, charge: true })).toEqual(['check', 'charge'])
    expect(chosenScopes(scopes, { check: false, hold: false, charge: false })).toEqual([])
  })

  it('never allows a scope the page could not name to the person', () => {
    const scopes = requested('check', 'admin')
    expect(shownScopes(scopes).map(({ scope }) => scope)).toEqual(['check'])
    expect(chosenScopes(scopes, { ...initialChoices(scopes), admin: true } as never)).toEqual(['check'])
  })

  it('keeps whether the person allowed a scope before', () => {
    const shown = shownScopes([
      { scope: 'charge', granted: false },
      { scope: 'check', granted: true },
    ])
    expect(shown).toEqual([
      { scope: 'check', granted: true },
      { scope: 'charge', granted: false },
    ])
  })
})
