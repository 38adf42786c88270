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

const notPaused = `NOT EXISTS (SELECT 1 FROM webhook_endpoints e
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
     * Claims up to `limit` due deliveries for one worker until `leasedUntil`. Rows another worker
     * is claiming right now are skipped, and a claimed row stays out of every other claim until
     * its lease ends, so no delivery is sent by two workers at once. Deliveries of disabled
     * endpoints wait.
     */
    claimDue(q: Queryable, now: Date, leaseId: string, leasedUntil: Date, limit: number) {
      return q.query<DeliveryRow>(
        `UPDATE webhook_deliveries d SET lease_id = $2, leased_until = $3
          WHERE d.id IN (
            SELECT w.id FROM webhook_deliveries w
             WHERE w.status = 'pending' AND w.next_attempt_at <= $1
               AND (w.leased_until IS NULL OR w.leased_until <= $1)
               AND ${notPaused}
             ORDER BY w.next_attempt_at
             LIMIT $4
             FOR UPDATE SKIP LOCKED)
          RETURNING d.*`,
        [now, leaseId, leasedUntil, limit],
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

    async enableEndpoint(q: Queryable, companyId: string): Promise<void> {
      await q.query(
        'UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL WHERE company_id = $1',
        [companyId],
      )
    },

    /** Pending deliveries: due now, in all, waiting for a disabled endpoint, and the oldest one sendable. */
    async queueStats(q: Queryable, now: Date): Promise<QueueStats> {
      const rows = await q.query<QueueStats>(
        `SELECT count(*) FILTER (WHERE w.next_attempt_at <= $1 AND ${notPaused}) AS due,
                count(*) FILTER (WHERE ${notPaused}) AS pending,
                count(*) FILTER (WHERE NOT ${notPaused}) AS paused,
                min(w.created_at) FILTER (WHERE ${notPaused}) AS oldest_pending_at
           FROM webhook_deliveries w WHERE w.status = 'pending'`,
        [now],
      )
      return rows[0] ?? { due: 0n, pending: 0n, paused: 0n, oldest_pending_at: null }
    },
  }
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>
