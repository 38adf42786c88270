import { describe, expect, it } from 'vitest'
import type { Me } from '../api/types.ts'
import { type AccessTarget, decideAccess, isServerPath, returnPath, safeRedirect } from './route-access.ts'

const company: Me = {
  kind: 'company',
  id: 'co_1',
  email: 'a@b.c',
  name: 'Acme',
  email_verified: true,
  csrf_token: 't',
}
const customer: Me = {
  kind: 'customer',
  id: 'cus_1',
  email: 'p@b.c',
  username: 'pat',
  email_verified: true,
  csrf_token: 't',
}

const AUTHORIZE =
  '/oauth/authorize?response_type=code&client_id=cli_1&redirect_uri=https%3A%2F%2Fpartner.example%2Fcallback' +
  '&scope=check%20charge&state=xyz&code_challenge=E9Melhoe2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' +
  '&code_challenge_method=S256'

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

  it('sends a person who is already signed in on to the authorization endpoint', () => {
    const signIn = route('/sign-in', { guestOnly: true }, { kind: 'customer', redirect: AUTHORIZE })
    expect(decideAccess(signIn, customer)).toEqual({ path: AUTHORIZE })
  })

  it('sends a guest from the consent page to sign in as a person and back', () => {
    expect(decideAccess(route('/consent/areq_1', { requires: 'customer' }), null)).toEqual({
      path: '/sign-in',
      query: { kind: 'customer', redirect: '/consent/areq_1' },
    })
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

  it('keeps the authorization endpoint with its whole query', () => {
    expect(safeRedirect(AUTHORIZE)).toBe(AUTHORIZE)
  })

  it('refuses paths a browser would read as another host', () => {
    // Browsers drop tabs and line breaks, and fold dot segments, before they follow a link.
    expect(safeRedirect('/\t/evil.example/')).toBeNull()
    expect(safeRedirect('/\n/evil.example/')).toBeNull()
    expect(safeRedirect('/\r\n/evil.example/')).toBeNull()
    expect(safeRedirect('/.//evil.example/')).toBeNull()
    expect(safeRedirect('/oauth/..//evil.example/')).toBeNull()
    expect(safeRedirect('/oauth/authorize?x=1\\@evil.example')).toBeNull()
  })

  it('normalises dot segments so the path checked is the path followed', () => {
    expect(safeRedirect('/wallet/../oauth/authorize?client_id=cli_1')).toBe(
      '/oauth/authorize?client_id=cli_1',
    )
    expect(safeRedirect('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example')
  })
})

describe('returnPath', () => {
  it('goes back to the authorization endpoint after a person signs in', () => {
    expect(returnPath({ kind: 'customer', redirect: AUTHORIZE }, 'customer')).toBe(AUTHORIZE)
    expect(isServerPath(returnPath({ kind: 'customer', redirect: AUTHORIZE }, 'customer'))).toBe(true)
  })

  it('goes home when the redirect was meant for the other kind of account, or is unsafe', () => {
    expect(returnPath({ kind: 'customer', redirect: AUTHORIZE }, 'company')).toBe('/company/services')
    expect(returnPath({ kind: 'customer', redirect: '/\t/evil.example' }, 'customer')).toBe('/wallet')
    expect(returnPath({}, 'customer')).toBe('/wallet')
  })

  it('stays in the app for app pages such as the consent page', () => {
    const consent = returnPath({ kind: 'customer', redirect: '/consent/areq_1' }, 'customer')
    expect(consent).toBe('/consent/areq_1')
    expect(isServerPath(consent)).toBe(false)
  })
})

describe('isServerPath', () => {
  it('names the OAuth endpoints, which only a full page load reaches', () => {
    expect(isServerPath('/oauth/authorize?client_id=cli_1')).toBe(true)
    expect(isServerPath('/oauthorize')).toBe(false)
    expect(isServerPath('/wallet/connected')).toBe(false)
  })
})
