import { describe, expect, it } from 'vitest'
import type { SubscriptionStatus } from '../api/types.ts'
import { canCancel, canPay, groupByPartner, subscriptionState } from './subscription-state.ts'

const sub = (id: string, clientId: string, status: SubscriptionStatus, ending = false) => ({
  id,
  client_id: clientId,
  status,
  cancel_at_period_end: ending,
})

describe('subscriptionState', () => {
  it('tells a subscription set to end from one that renews', () => {
    expect(subscriptionState(sub('a', 'c', 'active'))).toBe('active')
    expect(subscriptionState(sub('a', 'c', 'active', true))).toBe('ending')
    expect(subscriptionState(sub('a', 'c', 'past_due'))).toBe('past_due')
    expect(subscriptionState(sub('a', 'c', 'canceled', true))).toBe('canceled')
  })

  it('offers Cancel while it renews or is due, and Pay now only when it is due', () => {
    expect(canCancel(sub('a', 'c', 'active'))).toBe(true)
    expect(canCancel(sub('a', 'c', 'past_due'))).toBe(true)
    expect(canCancel(sub('a', 'c', 'active', true))).toBe(false)
    expect(canCancel(sub('a', 'c', 'canceled'))).toBe(false)
    expect(canPay(sub('a', 'c', 'past_due'))).toBe(true)
    expect(canPay(sub('a', 'c', 'active'))).toBe(false)
    expect(canPay(sub('a', 'c', 'canceled'))).toBe(false)
  })
})

describe('groupByPartner', () => {
  it('puts each partner’s subscriptions together, what is due first and what is over last', () => {
    const groups = groupByPartner([
      sub('s1', 'cli_a', 'canceled'),
      sub('s2', 'cli_b', 'active'),
      sub('s3', 'cli_a', 'active', true),
      sub('s4', 'cli_a', 'active'),
      sub('s5', 'cli_a', 'past_due'),
      sub('s6', 'cli_a', 'active'),
    ])
    expect([...groups.keys()]).toEqual(['cli_a', 'cli_b'])
    // Within one state the API's order (newest first) stays.
    expect(groups.get('cli_a')?.map(({ id }) => id)).toEqual(['s5', 's4', 's6', 's3', 's1'])
    expect(groups.get('cli_b')?.map(({ id }) => id)).toEqual(['s2'])
  })

  it('has no group for a partner without subscriptions', () => {
    expect(groupByPartner([]).size).toBe(0)
  })
})
