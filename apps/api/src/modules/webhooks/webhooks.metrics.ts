import type { MetricFamily } from '../../plugins/metrics.js'
import type { DeliveryWorker } from './delivery-worker.js'
import type { WebhooksService } from './webhooks.service.js'

/** Webhook delivery metrics: this process's attempt outcomes and the shared queue. */
export function webhookMetrics(webhooks: WebhooksService, worker: DeliveryWorker) {
  return async (): Promise<MetricFamily[]> => {
    const stats = await webhooks.queueStats()
    const outcomes = worker.outcomes()
    return [
      {
        name: 'protus_webhook_deliveries_total',
        help: 'Delivery attempts by this process, by outcome (retrying: failed, will be retried; failed: failed, retries used up; skipped: no webhook URL).',
        type: 'counter',
        samples: Object.entries(outcomes).map(([outcome, value]) => ({ labels: { outcome }, value })),
      },
      {
        name: 'protus_webhook_queue_depth',
        help: 'Deliveries not delivered yet (due: to be sent now; scheduled: waiting for a retry; paused: their endpoint is disabled).',
        type: 'gauge',
        samples: [
          { labels: { state: 'due' }, value: stats.due },
          { labels: { state: 'scheduled' }, value: stats.scheduled },
          { labels: { state: 'paused' }, value: stats.paused },
        ],
      },
      {
        name: 'protus_webhook_oldest_pending_age_seconds',
        help: 'Age of the oldest delivery not delivered yet (endpoints that are disabled aside); 0 when there is none.',
        type: 'gauge',
        samples: [{ value: Math.round(stats.oldestPendingAgeSeconds) }],
      },
    ]
  }
}
