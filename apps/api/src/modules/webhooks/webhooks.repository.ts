import type { Queryable } from '../../db/database.js'

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'skipped'

export interface DeliveryRow {
  id: string
  event_id: string
  company_id: string
  type: string
  body: string
  status: DeliveryStatus
  attempt_count: number
  schedule_step: number
  next_attempt_at: Date | null
  lease_id: string | null
  leased_until: Date | null
  manual_requested: boolean
  created_at: Date
  completed_at: Date | null
}

export interface AttemptRow {
  delivery_id: string
  attempted_at: Date
  url: string
  http_status: number | null
  error: string | null
  duration_ms: number
  response_excerpt: string | null
  succeeded: boolean
  manual: boolean
}

export interface NewDelivery {
  id: string
  event_id: string
  company_id: string
  type: string
  body: string
  created_at: Date
}

/** What an attempt changes: the attempt itself and the delivery's next state. */
export interface AttemptRecord extends AttemptRow {
  lease_id: string
  status: DeliveryStatus
  schedule_step: number
  next_attempt_at: Date | null
  completed_at: Date | null
}

export interface EndpointRow {
  company_id: string
  disabled_at: Date | null
  disabled_reason: string | null
  timeouts: number
  paused_until: Date | null
  manual_window_started_at: Date | null
  manual_in_window: number
}

export interface QueueStats {
  due: bigint
  pending: bigint
  paused: bigint
  oldest_pending_at: Date | null
}

export interface DeliveryFilter {
  status?: DeliveryStatus
  type?: string
}

const jsonRows = (rows: readonly object[]) =>
  JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))

/** Every claim takes this transaction lock, so that claims by several workers see each other. */
const CLAIM_LOCK_KEY = 7_730_114

/** How many deliveries a company may have in flight, and after how many timeouts in a row it gets one. */
export interface ClaimCap {
  perCompany: number
  pausedAfter: number
}

/** When a company's endpoint stops answering: pause after `after` timeouts in a row, for `baseMs` doubling with each further one, at most `maxMs`. */
export interface BackOff {
  after: number
  baseMs: number
  maxMs: number
}

/** A batch's attempts for one company: whether any was answered, and how many timed out after the last answer. */
export interface EndpointHealth {
  company_id: string
  answered: boolean
  timeouts: number
}

/** The company's endpoint is not disabled (a 410 disables it until its URL is set again). */
const endpointEnabled = `NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                                WHERE e.company_id = w.company_id AND e.disabled_at IS NOT NULL)`

/** The only code that reads or writes `webhook_*` tables. */
export function createWebhooksRepository() {
  return {
    /** Writes outbox rows in the caller's transaction: one statement for any number of events. */
    async insertDeliveries(q: Queryable, rows: readonly NewDelivery[]): Promise<void> {
      if (rows.length === 0) return
      await q.query(
        `INSERT INTO webhook_deliveries (id, event_id, company_id, type, body, created_at, next_attempt_at)
         SELECT x.id, x.event_id, x.company_id, x.type, x.body, x.created_at, x.created_at
           FROM jsonb_to_recordset($1::jsonb)
             AS x(id text, event_id text, company_id text, type text, body text, created_at timestamptz)`,
        [jsonRows(rows)],
      )
    },

    /**
     * Claims up to `limit` due deliveries for one worker until `leasedUntil`, fairly: each company
     * gets at most its free slots (its cap less its deliveries in flight, leased by any worker), and
     * companies take turns (every company's oldest due delivery first, then every company's second,
     * …). Companies whose endpoint is disabled or paused wait. Rows another worker is claiming right
     * now are skipped, and a claimed row stays out of every other claim until its lease ends, so no
     * delivery is sent by two workers at once.
     *
     * Run it in a transaction: it first takes a lock that every claim takes, so that the in-flight
     * counts it reads (in its own, later snapshot) include every other worker's committed claims and
     * the cap holds across workers exactly.
     */
    async claimDue(
      tx: Queryable,
      now: Date,
      leaseId: string,
      leasedUntil: Date,
      limit: number,
      cap: ClaimCap,
    ) {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK_KEY])
      return tx.query<DeliveryRow>(
        `WITH RECURSIVE companies (company_id) AS (
           -- The companies with pending deliveries, one index probe each however many rows they have.
           SELECT min(company_id) FROM webhook_deliveries WHERE status = 'pending'
           UNION ALL
           SELECT (SELECT min(w.company_id) FROM webhook_deliveries w
                    WHERE w.status = 'pending' AND w.company_id > c.company_id)
             FROM companies c WHERE c.company_id IS NOT NULL
         ), open AS (
           SELECT c.company_id,
                  -- An endpoint that keeps timing out gets one delivery at a time until one is answered.
                  CASE WHEN coalesce(e.timeouts, 0) >= $6 THEN 1 ELSE $5 END
                    - (SELECT count(*) FROM webhook_deliveries l
                        WHERE l.status = 'pending' AND l.lease_id IS NOT NULL
                          AND l.company_id = c.company_id AND l.leased_until > $1) AS free
             FROM companies c LEFT JOIN webhook_endpoints e ON e.company_id = c.company_id
            WHERE c.company_id IS NOT NULL AND e.disabled_at IS NULL
              AND (e.paused_until IS NULL OR e.paused_until <= $1)
         ), candidates AS (
           SELECT w.id, w.next_attempt_at,
                  row_number() OVER (PARTITION BY o.company_id ORDER BY w.next_attempt_at, w.id) AS turn
             FROM open o
            CROSS JOIN LATERAL (
              SELECT w.id, w.next_attempt_at FROM webhook_deliveries w
               WHERE w.status = 'pending' AND w.company_id = o.company_id AND w.next_attempt_at <= $1
                 AND (w.leased_until IS NULL OR w.leased_until <= $1)
               ORDER BY w.next_attempt_at, w.id
               LIMIT greatest(o.free, 0)) w
         )
         UPDATE webhook_deliveries d SET lease_id = $2, leased_until = $3
          WHERE d.id IN (
            SELECT w.id FROM webhook_deliveries w
             WHERE w.id IN (SELECT id FROM candidates ORDER BY turn, next_attempt_at, id LIMIT $4)
               AND w.status = 'pending' AND w.next_attempt_at <= $1
               AND (w.leased_until IS NULL OR w.leased_until <= $1)
             FOR UPDATE SKIP LOCKED)
          RETURNING d.*`,
        [now, leaseId, leasedUntil, limit, cap.perCompany, cap.pausedAfter],
      )
    },

    /**
     * Records finished attempts and moves their deliveries on, in one statement. An attempt whose
     * lease was lost (it ran past its lease and another worker claimed the delivery) is logged
     * but changes nothing.
     */
    async recordAttempts(q: Queryable, records: readonly AttemptRecord[]): Promise<void> {
      if (records.length === 0) return
      await q.query(
        `WITH r AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
             delivery_id text, lease_id text, attempted_at timestamptz, url text, http_status integer,
             error text, duration_ms integer, response_excerpt text, succeeded boolean, manual boolean,
             status text, schedule_step integer, next_attempt_at timestamptz, completed_at timestamptz)
         ), logged AS (
           INSERT INTO webhook_attempts (delivery_id, attempted_at, url, http_status, error, duration_ms,
                                         response_excerpt, succeeded, manual)
           SELECT delivery_id, attempted_at, url, http_status, error, duration_ms, response_excerpt, succeeded, manual
             FROM r
         )
         UPDATE webhook_deliveries d
            SET status = r.status, attempt_count = d.attempt_count + 1, schedule_step = r.schedule_step,
                next_attempt_at = r.next_attempt_at, completed_at = r.completed_at,
                lease_id = NULL, leased_until = NULL, manual_requested = false
           FROM r
          WHERE d.id = r.delivery_id AND d.lease_id = r.lease_id`,
        [jsonRows(records)],
      )
    },

    /** Ends deliveries that had nowhere to go (no webhook URL when they were due). */
    async skip(q: Queryable, ids: readonly string[], leaseId: string, at: Date): Promise<void> {
      if (ids.length === 0) return
      await q.query(
        `UPDATE webhook_deliveries
            SET status = 'skipped', next_attempt_at = NULL, completed_at = $3,
                lease_id = NULL, leased_until = NULL, manual_requested = false
          WHERE id = ANY ($1::text[]) AND lease_id = $2`,
        [ids, leaseId, at],
      )
    },

    /**
     * Makes a delivery due now, as a manual attempt: a finished one goes back to pending. One being
     * sent right now is left alone. Answers the row as it is afterwards.
     */
    async requeue(q: Queryable, id: string, now: Date): Promise<DeliveryRow | undefined> {
      const rows = await q.query<DeliveryRow>(
        `UPDATE webhook_deliveries
            SET status = 'pending', next_attempt_at = $2, completed_at = NULL, manual_requested = true
          WHERE id = $1 AND (leased_until IS NULL OR leased_until <= $2)
          RETURNING *`,
        [id, now],
      )
      return rows[0] ?? (await this.find(q, id))
    },

    /** `protus webhooks retry`: every failed or skipped delivery since `since` becomes due now. */
    async requeueFinished(q: Queryable, since: Date, now: Date, companyId?: string): Promise<number> {
      const rows = await q.query<{ id: string }>(
        `UPDATE webhook_deliveries
            SET status = 'pending', next_attempt_at = $2, completed_at = NULL, manual_requested = true
          WHERE status IN ('failed', 'skipped') AND created_at >= $1 AND ($3::text IS NULL OR company_id = $3)
          RETURNING id`,
        [since, now, companyId ?? null],
      )
      return rows.length
    },

    async find(q: Queryable, id: string): Promise<DeliveryRow | undefined> {
      return (await q.query<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = $1', [id]))[0]
    },

    list(
      q: Queryable,
      companyId: string,
      filter: DeliveryFilter,
      page: { limit: number; startingAfter?: string },
    ) {
      return q.query<DeliveryRow>(
        `SELECT * FROM webhook_deliveries
          WHERE company_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR type = $3)
            AND ($4::text IS NULL OR id < $4)
          ORDER BY id DESC LIMIT $5`,
        [companyId, filter.status ?? null, filter.type ?? null, page.startingAfter ?? null, page.limit + 1],
      )
    },

    async attemptsOf(q: Queryable, deliveryIds: readonly string[]): Promise<Map<string, AttemptRow[]>> {
      const byDelivery = new Map<string, AttemptRow[]>()
      if (deliveryIds.length === 0) return byDelivery
      const rows = await q.query<AttemptRow>(
        'SELECT * FROM webhook_attempts WHERE delivery_id = ANY ($1::text[]) ORDER BY attempted_at, duration_ms',
        [deliveryIds],
      )
      for (const row of rows) {
        const list = byDelivery.get(row.delivery_id) ?? []
        list.push(row)
        byDelivery.set(row.delivery_id, list)
      }
      return byDelivery
    },

    async findEndpoint(q: Queryable, companyId: string): Promise<EndpointRow | undefined> {
      return (
        await q.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE company_id = $1', [companyId])
      )[0]
    },

    /** Disables endpoints (410 Gone); a disabled one keeps its first date and reason. */
    async disableEndpoints(q: Queryable, rows: readonly { company_id: string; reason: string }[], at: Date) {
      if (rows.length === 0) return
      await q.query(
        `INSERT INTO webhook_endpoints (company_id, disabled_at, disabled_reason)
         SELECT x.company_id, $2, x.reason FROM jsonb_to_recordset($1::jsonb) AS x(company_id text, reason text)
         ON CONFLICT (company_id) DO UPDATE
           SET disabled_at = coalesce(webhook_endpoints.disabled_at, EXCLUDED.disabled_at),
               disabled_reason = coalesce(webhook_endpoints.disabled_reason, EXCLUDED.disabled_reason)`,
        [jsonRows(rows), at],
      )
    },

    /** The company set its webhook URL (again): it is enabled, and a pause for an unanswering endpoint ends. */
    async enableEndpoint(q: Queryable, companyId: string): Promise<void> {
      await q.query(
        `UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, timeouts = 0, paused_until = NULL
          WHERE company_id = $1`,
        [companyId],
      )
    },

    /**
     * Counts a batch's attempts against each company's endpoint: an answer (any HTTP status) ends
     * the run of timeouts and any pause; a run that reaches `backOff.after` pauses the
     * company's deliveries, longer with each further timeout. Companies whose endpoint
     * always answers write nothing.
     */
    async recordEndpointHealth(q: Queryable, rows: readonly EndpointHealth[], at: Date, backOff: BackOff) {
      const answered = rows.filter((r) => r.answered).map((r) => r.company_id)
      if (answered.length > 0) {
        await q.query(
          `UPDATE webhook_endpoints SET timeouts = 0, paused_until = NULL
            WHERE company_id = ANY ($1::text[]) AND (timeouts > 0 OR paused_until IS NOT NULL)`,
          [answered],
        )
      }
      const failing = rows.filter((r) => r.timeouts > 0)
      if (failing.length === 0) return
      const pausedUntil = (run: string) =>
        `CASE WHEN ${run} >= $3 THEN $2::timestamptz
           + least($5::float8, $4::float8 * power(2, least(${run} - $3, 30))) * interval '1 millisecond' END`
      await q.query(
        `INSERT INTO webhook_endpoints AS e (company_id, timeouts, paused_until)
         SELECT x.company_id, x.timeouts, ${pausedUntil('x.timeouts')}
           FROM jsonb_to_recordset($1::jsonb) AS x(company_id text, timeouts integer)
         ON CONFLICT (company_id) DO UPDATE
           SET timeouts = e.timeouts + EXCLUDED.timeouts,
               paused_until = greatest(e.paused_until, ${pausedUntil('e.timeouts + EXCLUDED.timeouts')})`,
        [jsonRows(failing), at, backOff.after, backOff.baseMs, backOff.maxMs],
      )
    },

    /**
     * Counts one test event or manual retry in the company's current window of `windowMs` (a new
     * window starts with the first request after the last one ended). Answers null when the window
     * already holds `limit`, counting nothing, else when the window ends.
     */
    async countManualSend(q: Queryable, companyId: string, now: Date, windowMs: number, limit: number) {
      const windowEnd = (r: { started: Date }) => new Date(r.started.getTime() + windowMs)
      const counted = await q.query<{ started: Date }>(
        `INSERT INTO webhook_endpoints AS e (company_id, manual_window_started_at, manual_in_window)
         VALUES ($1, $2, 1)
         ON CONFLICT (company_id) DO UPDATE
           SET manual_window_started_at = CASE WHEN e.manual_window_started_at > $3 THEN e.manual_window_started_at ELSE $2 END,
               manual_in_window = CASE WHEN e.manual_window_started_at > $3 THEN e.manual_in_window + 1 ELSE 1 END
           WHERE e.manual_window_started_at IS NULL OR e.manual_window_started_at <= $3 OR e.manual_in_window < $4
         RETURNING manual_window_started_at AS started`,
        [companyId, now, new Date(now.getTime() - windowMs), limit],
      )
      const [row] = counted
      if (row) return { allowed: true as const, windowEndsAt: windowEnd(row) }
      const [full] = await q.query<{ started: Date }>(
        'SELECT manual_window_started_at AS started FROM webhook_endpoints WHERE company_id = $1',
        [companyId],
      )
      return { allowed: false as const, windowEndsAt: full ? windowEnd(full) : now }
    },

    /**
     * Retention: drops at most `limit` attempts made before `before`, except each delivery's last
     * one, and answers how many. Attempts are only ever inserted, so their row addresses are stable.
     */
    async deleteAttemptsBefore(q: Queryable, before: Date, limit: number): Promise<number> {
      const rows = await q.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM webhook_attempts WHERE ctid = ANY (ARRAY(
             SELECT a.ctid FROM webhook_attempts a
              WHERE a.attempted_at < $1
                AND EXISTS (SELECT 1 FROM webhook_attempts b
                             WHERE b.delivery_id = a.delivery_id AND b.attempted_at > a.attempted_at)
              LIMIT $2))
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [before, limit],
      )
      return rows[0]?.n ?? 0
    },

    /**
     * When the next pending delivery may be claimed: its attempt time, or later while its company's
     * endpoint is paused or the delivery is leased; deliveries waiting for a disabled endpoint never.
     */
    async nextDueAt(q: Queryable): Promise<Date | null> {
      const rows = await q.query<{ at: Date | null }>(
        `SELECT min(greatest(w.next_attempt_at, e.paused_until, w.leased_until)) AS at
           FROM webhook_deliveries w LEFT JOIN webhook_endpoints e ON e.company_id = w.company_id
          WHERE w.status = 'pending' AND e.disabled_at IS NULL`,
      )
      return rows[0]?.at ?? null
    },

    /** Pending deliveries: due now, in all, waiting for a disabled endpoint, and the oldest one sendable. */
    async queueStats(q: Queryable, now: Date): Promise<QueueStats> {
      const rows = await q.query<QueueStats>(
        `SELECT count(*) FILTER (WHERE w.next_attempt_at <= $1 AND ${endpointEnabled}) AS due,
                count(*) FILTER (WHERE ${endpointEnabled}) AS pending,
                count(*) FILTER (WHERE NOT ${endpointEnabled}) AS paused,
                min(w.created_at) FILTER (WHERE ${endpointEnabled}) AS oldest_pending_at
           FROM webhook_deliveries w WHERE w.status = 'pending'`,
        [now],
      )
      return rows[0] ?? { due: 0n, pending: 0n, paused: 0n, oldest_pending_at: null }
    },
  }
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>
