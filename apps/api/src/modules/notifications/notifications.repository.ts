import type { Queryable } from '../../db/database.js'
import type { MailLocale } from '../mail/templates/mail-template.js'

export interface SettingsRow {
  customer_id: string
  receipts: boolean
  new_partner: boolean
  low_balance_threshold: bigint | null
  low_balance_alerted: boolean
  locale: MailLocale
  updated_at: Date
}

export type SettingsChange = Partial<
  Pick<SettingsRow, 'receipts' | 'new_partner' | 'low_balance_threshold' | 'locale'>
>

/**
 * What a transaction did that a person may hear of: a charge (a receipt), a hold (it lowers the
 * available funds), or a new account at a partner (their first consent).
 */
export interface Happening {
  kind: 'charge' | 'hold' | 'account'
  /** The charge's or hold's id, which is also its ledger transfer's; null for an account. */
  id: string | null
  account: string
  amount: number | null
  currency: string | null
  service: string | null
  subscription: string | null
}

/** An email to send, with everything it says. */
export interface Notice {
  kind: 'receipt' | 'new_partner' | 'low_balance'
  email: string
  locale: MailLocale
  partner: string | null
  service: string | null
  subscription: string | null
  charge_id: string | null
  amount: bigint | null
  currency: string
  balance: bigint
  threshold: bigint | null
}

/** The only code that reads or writes `notification_*` tables. */
export function createNotificationsRepository() {
  return {
    async find(q: Queryable, customerId: string): Promise<SettingsRow | undefined> {
      const rows = await q.query<SettingsRow>('SELECT * FROM notification_settings WHERE customer_id = $1', [
        customerId,
      ])
      return rows[0]
    },

    /** The language the person's account was opened in: their emails' until they choose one here. */
    async accountLocale(q: Queryable, customerId: string): Promise<MailLocale> {
      const rows = await q.query<{ locale: MailLocale }>(
        'SELECT locale FROM identity_customers WHERE id = $1',
        [customerId],
      )
      return rows[0]?.locale ?? 'en'
    },

    /**
     * Creates or changes the person's settings. A new threshold (or none) re-arms the alert: the
     * next movement that leaves the funds below it alerts.
     */
    async upsert(q: Queryable, customerId: string, change: SettingsChange, at: Date): Promise<SettingsRow> {
      const thresholdSet = change.low_balance_threshold !== undefined
      const rows = await q.query<SettingsRow>(
        `INSERT INTO notification_settings AS s (customer_id, receipts, new_partner, low_balance_threshold, locale, updated_at)
         VALUES ($1, coalesce($2, true), coalesce($3, true), $4,
                 coalesce($6, (SELECT c.locale FROM identity_customers c WHERE c.id = $1), 'en'), $7)
         ON CONFLICT (customer_id) DO UPDATE SET
           receipts = coalesce($2, s.receipts),
           new_partner = coalesce($3, s.new_partner),
           low_balance_threshold = CASE WHEN $5 THEN $4 ELSE s.low_balance_threshold END,
           low_balance_alerted = CASE WHEN $5 THEN false ELSE s.low_balance_alerted END,
           locale = coalesce($6, s.locale),
           updated_at = $7
         RETURNING *`,
        [
          customerId,
          change.receipts ?? null,
          change.new_partner ?? null,
          change.low_balance_threshold ?? null,
          thresholdSet,
          change.locale ?? null,
          at,
        ],
      )
      return rows[0] as SettingsRow
    },

    /**
     * One statement for a whole transaction's happenings: the receipts and "new partner" emails
     * of PROTUS accounts (managed accounts have no person) whose person wants them, and for each
     * person whose funds moved, a low-balance alert when their available funds ended below the
     * threshold and no alert was sent since they were last at or above it. It records the crossing
     * in the same statement. The wallet's ledger lock, held by the money's transaction, orders
     * the transactions of one person, so one crossing alerts once.
     *
     * For the hot path's sake this one statement reads the rows it tells about from the billing,
     * ledger, identity and catalogue tables it joins, rather than asking each module in turn.
     */
    async notices(q: Queryable, happenings: readonly Happening[]): Promise<Notice[]> {
      const input = happenings.map((h, ord) => ({ ...h, ord }))
      return q.query<Notice>(
        `WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, kind text, id text, account text,
             amount bigint, currency text, service text, subscription text)
         ),
         moved AS (
           SELECT i.*, a.customer_id, a.company_id, a.currency AS wallet_currency, t.seq,
                  -- What the capture's rest gave back came after the capture (as on the statement).
                  t.debit_balance - CASE WHEN t.kind = 'post_pending' THEN p.amount - t.amount ELSE 0 END
                    AS balance_after,
                  t.debit_balance AS available_after,
                  CASE WHEN t.kind = 'post_pending' THEN t.debit_balance - (p.amount - t.amount)
                       ELSE t.debit_balance + t.amount END AS available_before
             FROM input i
             JOIN billing_accounts a ON a.id = i.account AND a.kind = 'protus'
             LEFT JOIN ledger_transfers t ON t.id = i.id AND t.debit_account_id = a.wallet_account_id
             LEFT JOIN ledger_transfers p ON p.id = t.pending_id
         ),
         people AS (
           SELECT m.customer_id, min(m.wallet_currency) AS currency,
                  (array_agg(m.available_after ORDER BY m.seq DESC))[1] AS available_after,
                  max(m.available_before) AS available_before
             FROM moved m WHERE m.seq IS NOT NULL GROUP BY m.customer_id
         ),
         low AS (
           SELECT p.*, s.low_balance_threshold AS threshold,
                  p.available_after < s.low_balance_threshold AS below,
                  p.available_after < s.low_balance_threshold
                    AND (NOT s.low_balance_alerted OR p.available_before >= s.low_balance_threshold) AS alert
             FROM people p JOIN notification_settings s ON s.customer_id = p.customer_id
            WHERE s.low_balance_threshold IS NOT NULL
         ),
         crossed AS (
           UPDATE notification_settings s SET low_balance_alerted = l.below
             FROM low l WHERE s.customer_id = l.customer_id AND s.low_balance_alerted <> l.below
           RETURNING s.customer_id
         )
         SELECT n.kind, c.email, coalesce(s.locale, c.locale, 'en') AS locale, n.partner, n.service, n.subscription,
                n.charge_id, n.amount, n.currency, n.balance, n.threshold
           FROM (
             SELECT m.ord, 0 AS rank, m.customer_id,
                    CASE m.kind WHEN 'charge' THEN 'receipt' ELSE 'new_partner' END AS kind,
                    co.name AS partner, sv.name AS service, m.subscription, m.id AS charge_id, m.amount,
                    coalesce(m.currency, m.wallet_currency) AS currency, m.balance_after AS balance,
                    NULL::bigint AS threshold
               FROM moved m
               JOIN identity_companies co ON co.id = m.company_id
               LEFT JOIN catalogue_services sv ON sv.id = m.service
               LEFT JOIN notification_settings ns ON ns.customer_id = m.customer_id
              WHERE (m.kind = 'charge' AND m.seq IS NOT NULL AND coalesce(ns.receipts, true))
                 OR (m.kind = 'account' AND coalesce(ns.new_partner, true))
             UNION ALL
             SELECT 2147483647, 1, l.customer_id, 'low_balance', NULL, NULL, NULL, NULL, NULL,
                    l.currency, l.available_after, l.threshold
               FROM low l WHERE l.alert
           ) n
           JOIN identity_customers c ON c.id = n.customer_id
           LEFT JOIN notification_settings s ON s.customer_id = n.customer_id
          ORDER BY n.rank, n.ord`,
        [JSON.stringify(input)],
      )
    },
  }
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>
