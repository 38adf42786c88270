import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../config.js'

describe('PROTUS_SUBSCRIPTION_RETRY_DAYS', () => {
  it('retries a refused renewal 1, 3 and 5 days after the first refusal by default', () => {
    expect(loadConfig({}).subscriptions.retryDays).toEqual([1, 3, 5])
  })

  it('takes increasing whole days', () => {
    expect(loadConfig({ PROTUS_SUBSCRIPTION_RETRY_DAYS: '2, 4,7,14' }).subscriptions.retryDays).toEqual([
      2, 4, 7, 14,
    ])
    expect(loadConfig({ PROTUS_SUBSCRIPTION_RETRY_DAYS: '1' }).subscriptions.retryDays).toEqual([1])
  })

  it('refuses days that are not increasing whole days from 1 to 60', () => {
    for (const raw of ['3,1', '1,1', '0', '1.5', '61', 'soon', '1,,3', '1,2,3,4,5,6,7,8,9,10,11']) {
      expect(() => loadConfig({ PROTUS_SUBSCRIPTION_RETRY_DAYS: raw }), raw).toThrow(ConfigError)
    }
  })
})
