import type { MetricFamily } from '../../plugins/metrics.js'
import type { RetentionSweeper } from './retention-sweeper.js'

const samplesByTable = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts).map(([table, value]) => ({ labels: { table }, value }))

/** Retention sweep metrics of this process: what its passes deleted, and when the last one ran. */
export function retentionMetrics(sweeper: RetentionSweeper) {
  return async (): Promise<MetricFamily[]> => {
    const stats = sweeper.stats()
    return [
      {
        name: 'protus_retention_pruned_rows_total',
        help: 'Rows deleted by the retention sweep of this process, by table.',
        type: 'counter',
        samples: samplesByTable(stats.pruned),
      },
      {
        name: 'protus_retention_failures_total',
        help: 'Retention sweep tasks of this process that failed (logged), by table.',
        type: 'counter',
        samples: samplesByTable(stats.failures),
      },
      {
        name: 'protus_retention_runs_total',
        help: 'Retention sweep passes completed by this process.',
        type: 'counter',
        samples: [{ value: stats.runs }],
      },
      {
        name: 'protus_retention_last_run_timestamp_seconds',
        help: 'When the last retention sweep pass of this process started (Unix time); 0 before the first.',
        type: 'gauge',
        samples: [{ value: stats.lastRunAt ? Math.floor(stats.lastRunAt.getTime() / 1000) : 0 }],
      },
    ]
  }
}
