import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

/** One metric family in the Prometheus text format. */
export interface MetricFamily {
  name: string
  help: string
  type: 'counter' | 'gauge'
  samples: { labels?: Record<string, string>; value: number }[]
}

export type MetricSource = () => Promise<MetricFamily[]>

const labelText = (labels: Record<string, string> | undefined) => {
  const entries = Object.entries(labels ?? {})
  if (entries.length === 0) return ''
  const quoted = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
  return `{${entries.map(([k, v]) => `${k}="${quoted(v)}"`).join(',')}}`
}

export function metricsText(families: readonly MetricFamily[]): string {
  const lines: string[] = []
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`)
    for (const sample of family.samples)
      lines.push(`${family.name}${labelText(sample.labels)} ${sample.value}`)
  }
  return `${lines.join('\n')}\n`
}

const processMetrics: MetricSource = async () => [
  {
    // Behind one port (`protus start --processes N`) each scrape reaches one of the processes.
    name: 'protus_process_info',
    help: 'The process that answered, by its operating-system id.',
    type: 'gauge',
    samples: [{ labels: { pid: String(process.pid) }, value: 1 }],
  },
  {
    name: 'protus_process_resident_memory_bytes',
    help: 'Resident memory of this process.',
    type: 'gauge',
    samples: [{ value: process.memoryUsage.rss() }],
  },
  {
    name: 'protus_process_uptime_seconds',
    help: 'Seconds since this process started.',
    type: 'gauge',
    samples: [{ value: Math.round(process.uptime()) }],
  },
]

/** `GET /metrics` in the Prometheus text format, for operators' scrapers. */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ sources: MetricSource[] }> = async (
  app,
  { sources },
) => {
  app.get(
    '/metrics',
    {
      logLevel: 'warn',
      schema: {
        tags: ['Operations'],
        summary: 'Prometheus metrics',
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format 0.0.4' }) },
      },
    },
    async (_request, reply) => {
      const families = (await Promise.all([processMetrics, ...sources].map((source) => source()))).flat()
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metricsText(families))
    },
  )
}
