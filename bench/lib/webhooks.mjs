// Webhook delivery: events made through the API, sent by PROTUS's workers to a receiver in the
// bench process that answers 200 at once.
import { createServer } from 'node:http'
import { cannon } from './http-load.mjs'
import { HOST } from './server.mjs'

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/**
 * A partner's endpoint on loopback: answers 200 with an empty body as soon as a request has
 * arrived, and notes when each webhook-id first arrived and how many times it came.
 */
export async function startWebhookReceiver() {
  let arrivals = new Map()
  let duplicates = 0
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const at = Date.now()
      res.writeHead(200, { 'content-length': '0' }).end()
      const id = String(req.headers['webhook-id'])
      const seen = arrivals.get(id)
      if (seen) {
        duplicates++
        return
      }
      // The event's timestamp is when PROTUS wrote it, on the same machine's clock.
      const created = Date.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')).timestamp)
      arrivals.set(id, { at, created })
    })
  })
  await new Promise((resolve) => server.listen(0, HOST, resolve))
  return {
    url: `http://${HOST}:${server.address().port}/hooks`,
    get count() {
      return arrivals.size
    },
    /** Forgets what arrived (a new row). */
    reset() {
      arrivals = new Map()
      duplicates = 0
    },
    /** Throughput from the first to the last arrival, and creation→arrival latency. */
    summary() {
      const list = [...arrivals.values()]
      const first = Math.min(...list.map((a) => a.at))
      const last = Math.max(...list.map((a) => a.at))
      const latencies = Float64Array.from(list.map((a) => a.at - a.created)).sort()
      return {
        delivered: list.length,
        duplicates,
        seconds: (last - first) / 1000,
        perSecond: list.length > 1 ? (list.length - 1) / ((last - first) / 1000) : Number.NaN,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1),
      }
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/** Waits until `count` events arrived; throws after `timeoutMs`. */
export async function awaitArrivals(receiver, count, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (receiver.count < count) {
    if (Date.now() > deadline) {
      throw new Error(
        `only ${receiver.count} of ${count} webhook events arrived within ${timeoutMs / 1000} s`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * `count` ping events through `POST /v1/company/webhooks/test` (202), over `connections`
 * keep-alive connections; answers how many were accepted, how fast, and the other answers.
 */
export async function createPings({ url, auth, count, connections }) {
  let accepted = 0
  const refusals = {}
  const started = performance.now()
  const result = await cannon({
    url,
    connections,
    amount: count,
    headers: { authorization: auth },
    requests: [
      {
        method: 'POST',
        path: '/v1/company/webhooks/test',
        onResponse(status) {
          if (status === 202) accepted++
          else refusals[status] = (refusals[status] ?? 0) + 1
        },
      },
    ],
  })
  const seconds = (performance.now() - started) / 1000
  return {
    accepted,
    refusals,
    seconds,
    perSecond: accepted / seconds,
    failures: result.non2xx + result.errors + result.timeouts,
  }
}
