import { randomInt } from 'node:crypto'
import { expect } from 'vitest'

/** One partner's view of a running PROTUS: base URLs (one per server process) and credentials. */
export interface Target {
  baseUrls: string[]
  auth: string
  accounts: string[]
  /** Services of the partner that holds and charges may name instead of an amount. */
  services?: string[]
}

export interface WorkloadReport {
  requests: number
  retries: number
  statuses: Record<string, number>
  /** Ids of every object created, each from the first answer of its key. */
  holds: Map<string, { account: string; amount: number }>
  charges: Map<string, { account: string; amount: number }>
  refunds: Map<string, { account: string; amount: number }>
  captures: Map<string, number>
  released: Set<string>
}

/** A logical request of a client: a POST with its Idempotency-Key, sent again unchanged on retries. */
export interface Sent {
  method: string
  path: string
  body: object
  key: string
}

export interface Answer {
  status: number
  body: Record<string, unknown>
}

/**
 * Random holds (by amount or by a service of the target's), captures (partial and full),
 * releases, charges and refunds over a few wallets that often run dry; `record` notes in the
 * report what each answer created or resolved.
 */
export function billingOperations(target: Target) {
  const report: WorkloadReport = {
    requests: 0,
    retries: 0,
    statuses: {},
    holds: new Map(),
    charges: new Map(),
    refunds: new Map(),
    captures: new Map(),
    released: new Set(),
  }
  const pendingHolds: string[] = []
  const knownCharges: string[] = []
  let counter = 0

  function priced(account: string): object {
    const services = target.services ?? []
    if (services.length === 0 || randomInt(3) > 0) return { account, amount: 1 + randomInt(1500) }
    const service = services[randomInt(services.length)] as string
    return { account, service, quantity: 1 + randomInt(3) }
  }

  function next(): Sent {
    const account = target.accounts[randomInt(target.accounts.length)] as string
    const key = `wl-${process.pid}-${++counter}-${randomInt(1e9)}`
    const roll = randomInt(100)
    if (roll < 15 && pendingHolds.length > 0) {
      const hold = pendingHolds[randomInt(pendingHolds.length)] as string
      const body = randomInt(2) === 0 ? {} : { amount: 1 + randomInt(300) }
      return { method: 'POST', path: `/v1/holds/${hold}/capture`, body, key }
    }
    if (roll < 25 && pendingHolds.length > 0) {
      return {
        method: 'POST',
        path: `/v1/holds/${pendingHolds[randomInt(pendingHolds.length)]}/release`,
        body: {},
        key,
      }
    }
    if (roll < 40 && knownCharges.length > 0) {
      const body = randomInt(2) === 0 ? {} : { amount: 1 + randomInt(200) }
      return {
        method: 'POST',
        path: `/v1/charges/${knownCharges[randomInt(knownCharges.length)]}/refunds`,
        body,
        key,
      }
    }
    if (roll < 70) return { method: 'POST', path: '/v1/holds', body: priced(account), key }
    return { method: 'POST', path: '/v1/charges', body: priced(account), key }
  }

  function record(sent: Sent, answer: Answer): void {
    const b = answer.body
    if (answer.status === 201 && sent.path === '/v1/holds') {
      report.holds.set(String(b.id), { account: String(b.account), amount: Number(b.amount) })
      pendingHolds.push(String(b.id))
    } else if (answer.status === 201 && sent.path === '/v1/charges') {
      report.charges.set(String(b.id), { account: String(b.account), amount: Number(b.amount) })
      knownCharges.push(String(b.id))
    } else if (answer.status === 200 && sent.path.endsWith('/capture')) {
      const charge = b.charge as { id: string; amount: number }
      report.captures.set(String(b.id), charge.amount)
      report.charges.set(charge.id, { account: String(b.account), amount: charge.amount })
      knownCharges.push(charge.id)
    } else if (answer.status === 200 && sent.path.endsWith('/release')) {
      report.released.add(String(b.id))
    } else if (answer.status === 201 && sent.path.endsWith('/refunds')) {
      report.refunds.set(String(b.id), { account: String(b.account), amount: Number(b.amount) })
    }
    if (sent.path.endsWith('/capture') || sent.path.endsWith('/release')) {
      const hold = sent.path.split('/')[3] as string
      if (answer.status === 200 || answer.status === 409) {
        const at = pendingHolds.indexOf(hold)
        if (at >= 0) pendingHolds.splice(at, 1)
      }
    }
  }

  return { report, next, record }
}

/**
 * Sends the request once to one of the target's servers (at random) and counts its answer in the
 * report; answers also whether it was a replay of a saved answer.
 */
export async function sendOnce(
  target: Target,
  sent: Sent,
  report: WorkloadReport,
  signal?: AbortSignal,
): Promise<Answer & { replayed: boolean }> {
  const base = target.baseUrls[randomInt(target.baseUrls.length)]
  const res = await fetch(`${base}${sent.path}`, {
    method: sent.method,
    headers: {
      authorization: target.auth,
      'idempotency-key': sent.key,
      'content-type': 'application/json',
    },
    body: JSON.stringify(sent.body),
    ...(signal ? { signal } : {}),
  })
  const body = (await res.json()) as Record<string, unknown>
  report.requests++
  const label = res.status >= 400 ? `${res.status} ${String(body.code)}` : String(res.status)
  report.statuses[label] = (report.statuses[label] ?? 0) + 1
  return { status: res.status, body, replayed: res.headers.get('idempotent-replayed') === 'true' }
}

/**
 * Random billing operations from `clients` concurrent clients for `seconds`, and on past them (up
 * to a minute in all) until `atLeast` requests were sent, so a slow machine proves as much as a
 * fast one. About a fifth of the
 * requests are sent again with the same Idempotency-Key (some at once, racing the first); every
 * answer to a key must be the same as the first, or 409 idempotency_request_in_progress while
 * the first is still running.
 */
export async function runWorkload(
  target: Target,
  options: { clients: number; seconds: number; atLeast?: number },
): Promise<WorkloadReport> {
  const { report, next: nextRequest, record } = billingOperations(target)
  const started = Date.now()
  const deadline = started + options.seconds * 1000
  const hardDeadline = started + 60_000
  const atLeast = options.atLeast ?? 0
  const goOn = () => Date.now() < deadline || (report.requests < atLeast && Date.now() < hardDeadline)

  const send = (sent: Sent) => sendOnce(target, sent, report)

  const sameAnswer = (first: Answer, again: Answer) => {
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body })
  }

  async function client(): Promise<void> {
    while (goOn()) {
      const sent = nextRequest()
      const roll = randomInt(100)
      if (roll < 5) {
        // A retry racing the first attempt.
        report.retries++
        const [a, b] = await Promise.all([send(sent), send(sent)])
        const inProgress = [a, b].filter(
          (x) => x.status === 409 && x.body.code === 'idempotency_request_in_progress',
        )
        const done = [a, b].filter((x) => !inProgress.includes(x))
        expect(done.length).toBeGreaterThanOrEqual(1)
        if (done.length === 2) sameAnswer(done[0] as Answer, done[1] as Answer)
        const first = done[0] as Answer
        record(sent, first)
        sameAnswer(first, await send(sent))
      } else {
        const first = await send(sent)
        expect(first.status, JSON.stringify(first.body)).toBeLessThan(500)
        record(sent, first)
        if (roll < 20) {
          report.retries++
          sameAnswer(first, await send(sent))
        }
      }
    }
  }

  await Promise.all(Array.from({ length: options.clients }, () => client()))
  return report
}

/** What each wallet must hold given the effects the clients saw, from the workload's own records. */
export function expectedSpending(
  report: WorkloadReport,
): Map<string, { spent: number; held: number; refunded: number }> {
  const per = new Map<string, { spent: number; held: number; refunded: number }>()
  const of = (account: string) => {
    let entry = per.get(account)
    if (!entry) {
      entry = { spent: 0, held: 0, refunded: 0 }
      per.set(account, entry)
    }
    return entry
  }
  for (const c of report.charges.values()) of(c.account).spent += c.amount
  for (const r of report.refunds.values()) {
    of(r.account).spent -= r.amount
    of(r.account).refunded += r.amount
  }
  for (const [id, h] of report.holds) {
    if (!report.captures.has(id) && !report.released.has(id)) of(h.account).held += h.amount
  }
  return per
}
