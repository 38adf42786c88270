import type { MetricFamily } from '../../plugins/metrics.js'
import type { MailService } from './mail.service.js'
import type { MailWorker } from './mail-worker.js'

/** Mail metrics: this process's attempt outcomes and the shared outbox. */
export function mailMetrics(mail: MailService, worker: MailWorker) {
  return async (): Promise<MetricFamily[]> => {
    const stats = await mail.queueStats()
    return [
      {
        name: 'protus_mail_attempts_total',
        help: 'Mail send attempts by this process, by outcome (retrying: failed, will be retried; failed: failed for good).',
        type: 'counter',
        samples: Object.entries(worker.outcomes()).map(([outcome, value]) => ({
          labels: { outcome },
          value,
        })),
      },
      {
        name: 'protus_mail_queue_depth',
        help: 'Messages not sent yet (due: to be sent now; scheduled: waiting for a retry).',
        type: 'gauge',
        samples: [
          { labels: { state: 'due' }, value: stats.due },
          { labels: { state: 'scheduled' }, value: stats.scheduled },
        ],
      },
      {
        name: 'protus_mail_failed_messages',
        help: 'Messages that failed for good and are still kept (the retention sweep drops them).',
        type: 'gauge',
        samples: [{ value: stats.failed }],
      },
      {
        name: 'protus_mail_oldest_pending_age_seconds',
        help: 'Age of the oldest message not sent yet; 0 when there is none.',
        type: 'gauge',
        samples: [{ value: Math.round(stats.oldestPendingAgeSeconds) }],
      },
    ]
  }
}
