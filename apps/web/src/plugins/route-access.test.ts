import { describe, expect, it } from 'vitest'
import type { Me } from '../api/types.ts'
import { type AccessTarget, decideAccess, safeRedirect } from './route-access.ts'

const company: Me = { kind: 'company', id: 'co_1', email: 'a@b.c', name: 'Acme', csrf_token: 't' }
const customer: Me = { kind: 'customer', id: 'cus_1', email: 'p@b.c', username: 'pat', csrf_token: 't' }

const route = (
  fullPath: string,
  meta: AccessTarget['meta'],
  query: Record<string, unknown> = {},
): AccessTarget => ({
  fullPath,
  meta,
  query,
})

describe('decideAccess', () => {
  const services = route('/company/services?filter=archived', { requires: 'company' })

  it('sends a guest from a company page to sign in as a company and back', () => {
    expect(decideAccess(services, null)).toEqual({
      path: '/sign-in',
      query: { kind: 'company', redirect: '/company/services?filter=archived' },
    })
  })

  it('sends a person from a company page to sign in as a company', () => {
    expect(decideAccess(services, customer)).toEqual({
      path: '/sign-in',
      query: { kind: 'company', redirect: '/company/services?filter=archived' },
    })
  })

  it('lets a company open its pages', () => {
    expect(decideAccess(services, company)).toBe(true)
  })

  it('keeps the wallet for people and the accounts at a partner for its company', () => {
    const wallet = route('/wallet', { requires: 'customer' })
    const accounts = route('/company/accounts/acct_1', { requires: 'company' })
    expect(decideAccess(wallet, customer)).toBe(true)
    expect(decideAccess(wallet, company)).toEqual({
      path: '/sign-in',
      query: { kind: 'customer', redirect: '/wallet' },
    })
    expect(decideAccess(accounts, company)).toBe(true)
    expect(decideAccess(accounts, customer)).toEqual({
      path: '/sign-in',
      query: { kind: 'company', redirect: '/company/accounts/acct_1' },
    })
  })

  it('lets anyone open public pages', () => {
    expect(decideAccess(route('/', {}), null)).toBe(true)
    expect(decideAccess(route('/', {}), customer)).toBe(true)
  })

  it('takes a signed-in account from the sign-in page to where it was going', () => {
    const signIn = route(
      '/sign-in',
      { guestOnly: true },
      { kind: 'company', redirect: '/company/credentials' },
    )
    expect(decideAccess(signIn, company)).toEqual({ path: '/company/credentials' })
    expect(decideAccess(route('/register', { guestOnly: true }), customer)).toEqual({ path: '/wallet' })
  })

  it('lets a person sign in as a company', () => {
    const signIn = route('/sign-in', { guestOnly: true }, { kind: 'company', redirect: '/company/services' })
    expect(decideAccess(signIn, customer)).toBe(true)
  })

  it('ignores a redirect that leaves the app', () => {
    const signIn = route('/sign-in', { guestOnly: true }, { redirect: '//evil.example/' })
    expect(decideAccess(signIn, company)).toEqual({ path: '/company/services' })
  })
})

describe('safeRedirect', () => {
  it('accepts only paths inside the app', () => {
    expect(safeRedirect('/company/services')).toBe('/company/services')
    expect(safeRedirect('https://evil.example/')).toBeNull()
    expect(safeRedirect('//evil.example/')).toBeNull()
    expect(safeRedirect('/\\evil.example/')).toBeNull()
    expect(safeRedirect(['/a'])).toBeNull()
    expect(safeRedirect(undefined)).toBeNull()
  })
})
