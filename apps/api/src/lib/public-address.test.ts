import { describe, expect, it } from 'vitest'
import { isPrivateHost, isPublicAddress } from './public-address.js'

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:a00:1',
    '[::1]',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false)
  })

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'accepts %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true)
    },
  )

  it('treats a name that is not an address as not public', () => {
    expect(isPublicAddress('example.com')).toBe(false)
  })
})

describe('isPrivateHost', () => {
  it.each(['localhost', 'api.localhost', 'LOCALHOST.', '127.0.0.1', '[::1]', '10.0.0.8'])(
    'flags %s',
    (host) => {
      expect(isPrivateHost(host)).toBe(true)
    },
  )

  it.each(['example.com', 'hooks.partner.example', '93.184.216.34'])('leaves %s to DNS', (host) => {
    expect(isPrivateHost(host)).toBe(false)
  })
})
