import { isDeepStrictEqual } from 'node:util'
import type { FastifyInstance } from 'fastify'
import type { Settled } from './crash-load.js'

/** What the database holds of one partner's billing: rows, saved answers under keys, outbox events. */
export interface StoredEffects {
  holds: { id: string; account_id: string; amount: number; status: string; captured_amount: number }[]
  charges: {
    id: string
    account_id: string
    amount: number
    hold_id: string | null
    amount_refunded: number
  }[]
  refunds: { id: string; charge_id: string; account_id: string; amount: number }[]
  /** Idempotency keys the load used (`wl-…`), with the answer saved under each. */
  keys: { key: string; status: number | null; body: unknown }[]
  /** Every outbox event of the partner; `data_id` is the id of the object it reports. */
  events: { event_id: string; type: string; data_id: string }[]
}

/** Reads, straight from the tables, what the partner's billing left behind. */
export async function readStoredEffects(app: FastifyInstance, companyId: string): Promise<StoredEffects> {
  const q = <R>(sql: string) => app.db.query<R>(sql, [companyId])
  const number = <R extends object>(rows: R[], ...fields: (keyof R)[]) =>
    rows.map((r) => ({ ...r, ...Object.fromEntries(fields.map((f) => [f, Number(r[f])])) }))
  type Holds = StoredEffects['holds']
  type Charges = StoredEffects['charges']
  type Refunds = StoredEffects['refunds']
  const holds = await q<Holds[number]>(
    'SELECT id, account_id, amount, status, captured_amount FROM billing_holds WHERE company_id = $1',
  )
  const charges = await q<Charges[number]>(
    'SELECT id, account_id, amount, hold_id, amount_refunded FROM billing_charges WHERE company_id = $1',
  )
  const refunds = await q<Refunds[number]>(
    'SELECT id, charge_id, account_id, amount FROM billing_refunds WHERE company_id = $1',
  )
  const keys = await q<StoredEffects['keys'][number]>(
    "SELECT key, status, body FROM idempotency_keys WHERE principal = $1 AND key LIKE 'wl-%'",
  )
  const events = await q<{ event_id: string; type: string; body: string }>(
    'SELECT event_id, type, body FROM webhook_deliveries WHERE company_id = $1',
  )
  return {
    holds: number(holds, 'amount', 'captured_amount'),
    charges: number(charges, 'amount', 'amount_refunded'),
    refunds: number(refunds, 'amount'),
    keys,
    events: events.map((e) => ({
      event_id: e.event_id,
      type: e.type,
      data_id: String((JSON.parse(e.body) as { data: { id?: string } }).data.id),
    })),
  }
}

/** Values that occur more than once, each once. */
const repeated = (values: string[]) => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))]

/** A 2xx answer: the request's path and the body answered. */
interface Done {
  path: string
  body: Record<string, unknown>
}

/** Each key's saved answer is the one its client got, and no key ran that no client settled. */
function keyProblems(settled: readonly Settled[], stored: StoredEffects): string[] {
  const problems: string[] = []
  const saved = new Map(stored.keys.map((k) => [k.key, k]))
  for (const { sent, answer } of settled) {
    const row = saved.get(sent.key)
    if (!row) problems.push(`key ${sent.key} was answered ${answer.status} but nothing is saved under it`)
    else if (row.status !== answer.status || !isDeepStrictEqual(row.body, answer.body))
      problems.push(`key ${sent.key} was answered ${answer.status}, another answer (${row.status}) is saved`)
  }
  const answered = new Set(settled.map((s) => s.sent.key))
  for (const k of stored.keys) {
    if (!answered.has(k.key)) problems.push(`key ${k.key} ran but no client got its answer`)
  }
  return problems
}

/** The objects 2xx answers created, by kind; a capture's charge names its hold. */
function createdBy(done: readonly Done[]): Record<'hold' | 'charge' | 'refund', Record<string, unknown>[]> {
  const charges = done.flatMap((d) => {
    if (d.path === '/v1/charges') return [d.body]
    if (!d.path.endsWith('/capture')) return []
    return [{ ...(d.body.charge as object), account: d.body.account, hold: d.body.id }]
  })
  return {
    hold: done.filter((d) => d.path === '/v1/holds').map((d) => d.body),
    charge: charges,
    refund: done.filter((d) => d.path.endsWith('/refunds')).map((d) => d.body),
  }
}

/** Each row was created by exactly one 2xx answer, as it says, and each created object is a row. */
function rowProblems(created: ReturnType<typeof createdBy>, stored: StoredEffects): string[] {
  const problems: string[] = []
  const rows = { hold: stored.holds, charge: stored.charges, refund: stored.refunds }
  for (const kind of ['hold', 'charge', 'refund'] as const) {
    const answered = created[kind]
    const answeredIds = answered.map((b) => String(b.id))
    for (const id of repeated(answeredIds)) problems.push(`${kind} ${id} was created twice`)
    const byId = new Map<string, { id: string; account_id: string; amount: number }>(
      rows[kind].map((r) => [r.id, r]),
    )
    for (const body of answered) {
      const row = byId.get(String(body.id))
      if (!row) problems.push(`${kind} ${String(body.id)} was answered but is not in the database`)
      else if (row.account_id !== body.account || row.amount !== body.amount)
        problems.push(
          `${kind} ${row.id} is ${row.amount} on ${row.account_id}, answered ${String(body.amount)}`,
        )
    }
    const known = new Set(answeredIds)
    for (const row of rows[kind]) {
      if (!known.has(row.id)) problems.push(`${kind} ${row.id} is in the database but no answer created it`)
    }
  }
  return problems
}

/** Each hold is captured or released (at most once) as answered; each charge refunded by its refunds. */
function stateProblems(done: readonly Done[], created: ReturnType<typeof createdBy>, stored: StoredEffects) {
  const problems: string[] = []
  const resolved = (suffix: string) =>
    done.filter((d) => d.path.endsWith(suffix)).map((d) => String(d.body.id))
  const released = resolved('/release')
  for (const id of repeated([...resolved('/capture'), ...released]))
    problems.push(`hold ${id} was resolved twice`)
  const captureOf = new Map(created.charge.filter((c) => c.hold).map((c) => [String(c.hold), c]))
  for (const hold of stored.holds) {
    const capture = captureOf.get(hold.id)
    const expected = capture ? 'captured' : released.includes(hold.id) ? 'released' : 'pending'
    if (hold.status !== expected || hold.captured_amount !== (capture ? Number(capture.amount) : 0))
      problems.push(`hold ${hold.id} is ${hold.status} (${hold.captured_amount}), answers say ${expected}`)
  }
  const refunded = new Map<string, number>()
  for (const r of stored.refunds) refunded.set(r.charge_id, (refunded.get(r.charge_id) ?? 0) + r.amount)
  for (const charge of stored.charges) {
    const sum = refunded.get(charge.id) ?? 0
    if (charge.amount_refunded !== sum)
      problems.push(`charge ${charge.id} says ${charge.amount_refunded} refunded, its refunds ${sum}`)
  }
  return problems
}

const billingEvents = [
  'hold.created',
  'hold.captured',
  'hold.released',
  'charge.succeeded',
  'charge.refunded',
]

/** Each effect has exactly one outbox event of its type, and every outbox event reached the partner. */
function eventProblems(stored: StoredEffects, received: Set<string>): string[] {
  const problems: string[] = []
  const expected = [
    ...stored.holds.map((h) => `hold.created ${h.id}`),
    ...stored.holds.filter((h) => h.status !== 'pending').map((h) => `hold.${h.status} ${h.id}`),
    ...stored.charges.map((c) => `charge.succeeded ${c.id}`),
    ...stored.refunds.map((r) => `charge.refunded ${r.id}`),
  ]
  const events = stored.events
    .filter((e) => billingEvents.includes(e.type))
    .map((e) => `${e.type} ${e.data_id}`)
  for (const event of repeated(events)) problems.push(`event ${event} is in the outbox twice`)
  const inOutbox = new Set(events)
  for (const event of expected) if (!inOutbox.has(event)) problems.push(`event ${event} is missing`)
  const wanted = new Set(expected)
  for (const event of inOutbox) if (!wanted.has(event)) problems.push(`event ${event} reports no effect`)
  for (const e of stored.events) {
    if (!received.has(e.event_id)) problems.push(`event ${e.event_id} (${e.type}) was never delivered`)
  }
  return problems
}

/**
 * Every way the database and the clients' definite answers disagree; empty when each answer had
 * exactly one effect, nothing else happened, and every event of it reached the partner
 * (`received`: the webhook ids the partner's endpoint got).
 */
export function effectProblems(
  settled: readonly Settled[],
  stored: StoredEffects,
  received: Set<string>,
): string[] {
  const done = settled
    .filter((s) => s.answer.status < 300)
    .map((s) => ({ path: s.sent.path, body: s.answer.body }))
  const created = createdBy(done)
  return [
    ...keyProblems(settled, stored),
    ...rowProblems(created, stored),
    ...stateProblems(done, created, stored),
    ...eventProblems(stored, received),
  ]
}
