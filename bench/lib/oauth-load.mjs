// OAuth load over HTTP with autocannon: introspections of a few access tokens, and refresh-token
// rotations in a closed loop, where every request presents a refresh token never sent before.
import { randomInt } from 'node:crypto'
import { cannon, tally } from './http-load.mjs'

const FORM = 'application/x-www-form-urlencoded'

/** RFC 7662 introspection of one of `tokens`, picked at random; a success is 200 with active true. */
function introspectRequests(path, tokens, seen) {
  return [
    {
      method: 'POST',
      path,
      setupRequest(req, context) {
        req.body = `token=${encodeURIComponent(tokens[randomInt(tokens.length)])}`
        context.sentAt = performance.now()
        return req
      },
      onResponse(status, body, context) {
        if (status === 200 && body.includes('"active":true')) seen.ok(performance.now() - context.sentAt)
        else seen.refused(status === 200 ? '200 active:false' : status, body)
      },
    },
  ]
}

/**
 * Refresh chains: one per grant, each holding the refresh token it may present next. A connection
 * takes the chain that has waited longest, presents its token, and puts the chain back with the
 * rotated token from the answer, so no refresh token is ever sent twice. A chain whose request
 * was refused, or was in flight when autocannon stopped (its answer never read), is dropped: its
 * token may have been rotated already, and presenting it again would count as reuse.
 */
export function chainPool(refreshTokens) {
  const waiting = refreshTokens.map((token) => ({ token }))
  const out = new Set()
  let head = 0
  const state = { refused: 0, inFlightAtStop: 0, exhausted: 0 }
  return {
    state,
    get live() {
      return waiting.length - head
    },
    take() {
      if (head === waiting.length) {
        state.exhausted++
        return { token: 'exhausted' } // answered 400, counted as a failure
      }
      const chain = waiting[head++]
      if (head > 1024) {
        waiting.splice(0, head)
        head = 0
      }
      out.add(chain)
      return chain
    },
    give(chain, token) {
      out.delete(chain)
      chain.token = token
      waiting.push(chain)
    },
    drop(chain) {
      if (out.delete(chain)) state.refused++
    },
    /** After a run: chains still out were in flight when it stopped. */
    settle() {
      state.inFlightAtStop += out.size
      out.clear()
    },
  }
}

function refreshRequests(path, pool, seen) {
  return [
    {
      method: 'POST',
      path,
      setupRequest(req, context) {
        context.chain = pool.take()
        req.body = `grant_type=refresh_token&refresh_token=${encodeURIComponent(context.chain.token)}`
        context.sentAt = performance.now()
        return req
      },
      onResponse(status, body, context) {
        const token = status === 200 ? JSON.parse(body).refresh_token : undefined
        if (token) {
          seen.ok(performance.now() - context.sentAt)
          pool.give(context.chain, token)
        } else {
          seen.refused(status, body)
          pool.drop(context.chain)
        }
      },
    },
  ]
}

/**
 * One OAuth row: a warm-up that is thrown away, then the measured run, each request with Basic
 * client authentication (client_secret_basic). `kind` is 'introspect' (`tokens`: access tokens)
 * or 'refresh' (`pool`: a chainPool).
 */
export async function runOauthScenario({
  url,
  path,
  auth,
  kind,
  tokens,
  pool,
  connections,
  duration,
  warmup,
  sample,
}) {
  const options = (seen, seconds) => ({
    url,
    connections,
    duration: seconds,
    headers: { authorization: auth, 'content-type': FORM },
    requests:
      kind === 'introspect' ? introspectRequests(path, tokens, seen) : refreshRequests(path, pool, seen),
  })
  if (warmup > 0) {
    await cannon(options(tally(), warmup))
    pool?.settle()
  }
  const seen = tally()
  const sampler = sample()
  const started = performance.now()
  const result = await cannon(options(seen, duration))
  const seconds = (performance.now() - started) / 1000
  const usage = await sampler.stop()
  pool?.settle()
  return {
    ...seen.summary(seconds),
    seconds,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    usage,
  }
}
