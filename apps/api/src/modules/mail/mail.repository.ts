import type { Queryable } from '../../db/database.js'

export type MailStatus = 'pending' | 'sent' | 'failed'
export type MailTransportName = 'smtp' | 'mailbox'

export interface MailRow {
  id: string
  to_address: string
  template: string
  locale: string
  subject: string
  text_body: string
  html_body: string
  status: MailStatus
  attempt_count: number
  next_attempt_at: Date | null
  lease_id: string | null
  leased_until: Date | null
  last_error: string | null
  transport: MailTransportName | null
  created_at: Date
  sent_at: Date | null
  failed_at: Date | null
}

export type NewMail = Pick<
  MailRow,
  'id' | 'to_address' | 'template' | 'locale' | 'subject' | 'text_body' | 'html_body' | 'created_at'
>

/** A failed attempt: try again at `next_attempt_at`, or give up when it is null. */
export interface MailFailure {
  error: string
  at: Date
  next_attempt_at: Date | null
}

export interface MailQueueStats {
  due: bigint
  pending: bigint
  failed: bigint
  oldest_pending_at: Date | null
}

/** The only code that reads or writes `mail_*` tables. */
export function createMailRepository() {
  return {
    /** Writes a message to the outbox in the caller's transaction, due at once. */
    async insert(q: Queryable, mail: NewMail): Promise<void> {
      await q.query(
        `INSERT INTO mail_messages (id, to_address, template, locale, subject, text_body, html_body,
                                    created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
        [
          mail.id,
          mail.to_address,
          mail.template,
          mail.locale,
          mail.subject,
          mail.text_body,
          mail.html_body,
          mail.created_at,
        ],
      )
    },

    /** Writes several messages to the outbox in one statement, due at once. */
    async insertMany(q: Queryable, mails: readonly NewMail[]): Promise<void> {
      if (mails.length === 0) return
      await q.query(
        `INSERT INTO mail_messages (id, to_address, template, locale, subject, text_body, html_body,
                                    created_at, next_attempt_at)
         SELECT id, to_address, template, locale, subject, text_body, html_body, created_at, created_at
           FROM jsonb_to_recordset($1::jsonb) AS x(id text, to_address text, template text, locale text,
                subject text, text_body text, html_body text, created_at timestamptz)`,
        [JSON.stringify(mails)],
      )
    },

    /**
     * Claims up to `limit` due messages for one worker until `leasedUntil`, oldest first. Rows
     * another worker is claiming right now are skipped, and a claimed row stays out of every other
     * claim until its lease ends, so no message is sent by two workers at once; a worker that dies
     * mid-send only delays its messages until their lease ends.
     */
    claimDue(q: Queryable, now: Date, leaseId: string, leasedUntil: Date, limit: number) {
      return q.query<MailRow>(
        `UPDATE mail_messages m SET lease_id = $2, leased_until = $3
          WHERE m.id IN (
            SELECT id FROM mail_messages
             WHERE status = 'pending' AND next_attempt_at <= $1
               AND (leased_until IS NULL OR leased_until <= $1)
             ORDER BY next_attempt_at, id
             LIMIT $4
             FOR UPDATE SKIP LOCKED)
          RETURNING m.*`,
        [now, leaseId, leasedUntil, limit],
      )
    },

    /** The message went out. A worker whose lease was lost (another claimed it since) changes nothing. */
    async markSent(q: Queryable, id: string, leaseId: string, at: Date, transport: MailTransportName) {
      await q.query(
        `UPDATE mail_messages
            SET status = 'sent', sent_at = $3, transport = $4, attempt_count = attempt_count + 1,
                next_attempt_at = NULL, lease_id = NULL, leased_until = NULL, last_error = NULL
          WHERE id = $1 AND lease_id = $2`,
        [id, leaseId, at, transport],
      )
    },

    /** An attempt failed: the message waits for its next attempt, or has failed for good. */
    async markFailedAttempt(q: Queryable, id: string, leaseId: string, failure: MailFailure) {
      await q.query(
        `UPDATE mail_messages
            SET status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                failed_at = CASE WHEN $4::timestamptz IS NULL THEN $3::timestamptz END,
                next_attempt_at = $4, attempt_count = attempt_count + 1, last_error = $5,
                lease_id = NULL, leased_until = NULL
          WHERE id = $1 AND lease_id = $2`,
        [id, leaseId, failure.at, failure.next_attempt_at, failure.error],
      )
    },

    async find(q: Queryable, id: string): Promise<MailRow | undefined> {
      return (await q.query<MailRow>('SELECT * FROM mail_messages WHERE id = $1', [id]))[0]
    },

    /** The sandbox mailbox, newest first: what went to `to` (any case), or everything. */
    mailbox(q: Queryable, to: string | undefined, page: { limit: number; startingAfter?: string }) {
      return q.query<MailRow>(
        `SELECT * FROM mail_messages
          WHERE status = 'sent' AND transport = 'mailbox'
            AND ($1::text IS NULL OR lower(to_address) = lower($1))
            AND ($2::text IS NULL OR id < $2)
          ORDER BY id DESC LIMIT $3`,
        [to ?? null, page.startingAfter ?? null, page.limit + 1],
      )
    },

    /** When the next pending message may be claimed: its attempt time, or later while it is leased. */
    async nextDueAt(q: Queryable): Promise<Date | null> {
      const rows = await q.query<{ at: Date | null }>(
        `SELECT min(greatest(next_attempt_at, leased_until)) AS at FROM mail_messages WHERE status = 'pending'`,
      )
      return rows[0]?.at ?? null
    },

    async queueStats(q: Queryable, now: Date): Promise<MailQueueStats> {
      const rows = await q.query<MailQueueStats>(
        `SELECT count(*) FILTER (WHERE status = 'pending' AND next_attempt_at <= $1) AS due,
                count(*) FILTER (WHERE status = 'pending') AS pending,
                count(*) FILTER (WHERE status = 'failed') AS failed,
                min(created_at) FILTER (WHERE status = 'pending') AS oldest_pending_at
           FROM mail_messages WHERE status IN ('pending', 'failed')`,
        [now],
      )
      return rows[0] ?? { due: 0n, pending: 0n, failed: 0n, oldest_pending_at: null }
    },

    /** Retention: drops at most about `limit` messages sent or failed before `before`; answers how many. */
    async deleteFinishedBefore(q: Queryable, before: Date, limit: number): Promise<number> {
      const rows = await q.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM mail_messages WHERE id IN (
             (SELECT id FROM mail_messages WHERE status = 'sent' AND sent_at < $1 LIMIT $2)
             UNION ALL
             (SELECT id FROM mail_messages WHERE status = 'failed' AND failed_at < $1 LIMIT $2))
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [before, limit],
      )
      return rows[0]?.n ?? 0
    },
  }
}

export type MailRepository = ReturnType<typeof createMailRepository>
