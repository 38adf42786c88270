import { describe, expect, it } from 'vitest'
import { checkoutUrlIn } from './checkout-url.ts'

describe('checkoutUrlIn', () => {
  const app = 'https://protus.example'

  it('tells PROTUS’s own checkout page the interface language', () => {
    expect(checkoutUrlIn(`${app}/sandbox/checkout/sbx_1`, 'ru', app)).toBe(
      `${app}/sandbox/checkout/sbx_1?lang=ru`,
    )
    expect(checkoutUrlIn(`${app}/sandbox/checkout/sbx_1?lang=ru`, 'en', app)).toBe(
      `${app}/sandbox/checkout/sbx_1?lang=en`,
    )
  })

  it('leaves another provider’s page as it is', () => {
    const stripe = 'https://checkout.stripe.com/c/pay/cs_test_1#fragment'
    expect(checkoutUrlIn(stripe, 'ru', app)).toBe(stripe)
  })
})
