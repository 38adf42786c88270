import type { MetricFamily } from '../../plugins/metrics.js'
import type { Passwords } from './passwords.js'

/** The cap on password work of this process: how full it is, and how often it refused. */
export function passwordMetrics(passwords: Passwords) {
  return async (): Promise<MetricFamily[]> => {
    const { running, waiting, refused } = passwords.work.stats()
    return [
      {
        name: 'protus_password_work_running',
        help: 'Password hashes and checks (argon2) running in this process.',
        type: 'gauge',
        samples: [{ value: running }],
      },
      {
        name: 'protus_password_work_waiting',
        help: 'Password hashes and checks waiting for a slot in this process.',
        type: 'gauge',
        samples: [{ value: waiting }],
      },
      {
        name: 'protus_password_busy_total',
        help: 'Registrations and sign-ins this process answered 503 busy (every slot and queue place taken).',
        type: 'counter',
        samples: [{ value: refused }],
      },
    ]
  }
}
