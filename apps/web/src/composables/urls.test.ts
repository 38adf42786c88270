import { describe, expect, it } from 'vitest'
import { displayHost, isAllowedEndpointUrl } from './urls.ts'

describe('isAllowedEndpointUrl', () => {
  it('accepts https addresses', () => {
    expect(isAllowedEndpointUrl('https://partner.example/callback')).toBe(true)
    expect(isAllowedEndpointUrl('https://partner.example:8443/oauth/cb?x=1')).toBe(true)
  })

  it('accepts plain http only on the loopback interface', () => {
    expect(isAllowedEndpointUrl('http://localhost:3000/callback')).toBe(true)
    expect(isAllowedEndpointUrl('http://127.0.0.1:3000/callback')).toBe(true)
    expect(isAllowedEndpointUrl('http://[::1]:3000/callback')).toBe(true)
    expect(isAllowedEndpointUrl('http://partner.example/callback')).toBe(false)
  })

  it('rejects fragments, other schemes and text that is not a URL', () => {
    expect(isAllowedEndpointUrl('https://partner.example/cb#top')).toBe(false)
    expect(isAllowedEndpointUrl('javascript:alert(1)')).toBe(false)
    expect(isAllowedEndpointUrl('ftp://partner.example/')).toBe(false)
    expect(isAllowedEndpointUrl('partner.example/callback')).toBe(false)
    expect(isAllowedEndpointUrl('')).toBe(false)
  })
})

describe('displayHost', () => {
  it('names the host, with a port when there is one', () => {
    expect(displayHost('https://partner.example/oauth/callback?x=1')).toBe('partner.example')
    expect(displayHost('http://127.0.0.1:3000/callback')).toBe('127.0.0.1:3000')
  })

  it('shows text that is not an address as it is', () => {
    expect(displayHost('not an address')).toBe('not an address')
  })
})
