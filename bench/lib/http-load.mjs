// Load over HTTP with autocannon: direct charges, and holds each followed by its capture.
import { randomInt } from 'node:crypto'
import autocannon from 'autocannon'

let keys = 0
const keyPrefix = `bench-${process.pid}-${Date.now().toString(36)}`
const freshKey = () => `${keyPrefix}-${++keys}`

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/**
 * What a run saw from the client side. Latency is timed here, from the moment a request is built
 * (right before autocannon writes it) to its answer; for a pair, from the hold to the capture's
 * answer. Only successful operations are timed and counted.
 */
export function tally() {
  const latencies = []
  const refusals = {}
  return {
    ok(ms) {
      latencies.push(ms)
    },
    refused(status, body) {
      let code = ''
      try {
        code = JSON.parse(body).code ?? ''
      } catch {
        // not problem+json
      }
      const label = `${status}${code ? ` ${code}` : ''}`
      refusals[label] = (refusals[label] ?? 0) + 1
    },
    summary(seconds) {
      const sorted = Float64Array.from(latencies).sort()
      return {
        ops: latencies.length,
        perSecond: latencies.length / seconds,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        refusals,
      }
    },
  }
}

export function cannon(options) {
  return new Promise((resolve, reject) => {
    autocannon({ pipelining: 1, timeout: 10, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    )
  })
}

const pick = (accounts) => accounts[accounts.length === 1 ? 0 : randomInt(accounts.length)]

/** `POST /v1/charges` for 1 on a random account of `accounts`, a fresh Idempotency-Key each. */
function chargeRequests(accounts, seen) {
  return [
    {
      method: 'POST',
      path: '/v1/charges',
      setupRequest(req, context) {
        req.headers['idempotency-key'] = freshKey()
        req.body = `{"account":"${pick(accounts)}","amount":1}`
        context.sentAt = performance.now()
        return req
      },
      onResponse(status, body, context) {
        if (status === 201) seen.ok(performance.now() - context.sentAt)
        else seen.refused(status, body)
      },
    },
  ]
}

/**
 * A hold for 1 on a random account, then the capture of that hold on the same connection. A
 * failed hold sends the connection back to a new hold (autocannon counts a reset).
 */
function pairRequests(accounts, seen) {
  return [
    {
      method: 'POST',
      path: '/v1/holds',
      setupRequest(req, context) {
        req.headers['idempotency-key'] = freshKey()
        req.body = `{"account":"${pick(accounts)}","amount":1}`
        context.sentAt = performance.now()
        context.hold = undefined
        return req
      },
      onResponse(status, body, context) {
        if (status === 201) context.hold = JSON.parse(body).id
        else seen.refused(status, body)
      },
    },
    {
      method: 'POST',
      setupRequest(req, context) {
        if (!context.hold) return null
        req.path = `/v1/holds/${context.hold}/capture`
        req.headers['idempotency-key'] = freshKey()
        req.body = '{}'
        return req
      },
      onResponse(status, body, context) {
        if (status === 200) seen.ok(performance.now() - context.sentAt)
        else seen.refused(status, body)
      },
    },
  ]
}

/**
 * One scenario: a warm-up run that is thrown away, then the measured run. `sample()` starts the
 * samplers and answers an object whose `stop()` resolves to what they saw.
 */
export async function runScenario({ url, auth, kind, accounts, connections, duration, warmup, sample }) {
  const requestsFor = kind === 'charge' ? chargeRequests : pairRequests
  const options = (seen, seconds) => ({
    url,
    connections,
    duration: seconds,
    headers: { authorization: auth, 'content-type': 'application/json' },
    requests: requestsFor(accounts, seen),
  })
  if (warmup > 0) await cannon(options(tally(), warmup))

  const seen = tally()
  const sampler = sample()
  const started = performance.now()
  const result = await cannon(options(seen, duration))
  const seconds = (performance.now() - started) / 1000
  const usage = await sampler.stop()
  return {
    ...seen.summary(seconds),
    seconds,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    resets: result.resets,
    usage,
  }
}
