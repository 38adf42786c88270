import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import type { MailMessage, MailService } from '../mail/mail.service.js'
import type { PartnerEvent } from '../webhooks/webhook-events.js'
import type {
  Happening,
  Notice,
  NotificationsRepository,
  SettingsChange,
  SettingsRow,
} from './notifications.repository.js'

/** A person's email settings as the API answers them. */
export function settingsView(
  row: Pick<SettingsRow, 'receipts' | 'new_partner' | 'low_balance_threshold' | 'locale'>,
) {
  return {
    receipts: row.receipts,
    new_partner: row.new_partner,
    low_balance_threshold: row.low_balance_threshold === null ? null : Number(row.low_balance_threshold),
    locale: row.locale,
  }
}

export type SettingsView = ReturnType<typeof settingsView>

const DEFAULTS = { receipts: true, new_partner: true, low_balance_threshold: null, locale: 'en' } as const

type Data = Record<string, unknown>
const text = (v: unknown) => (typeof v === 'string' ? v : null)
const num = (v: unknown) => (typeof v === 'number' ? v : null)

/** An error the database answered (a SQLSTATE): the transaction cannot go on without it. */
const fromDatabase = (error: unknown) =>
  typeof (error as { code?: unknown })?.code === 'string' &&
  /^[0-9A-Z]{5}$/.test((error as { code: string }).code)

/** What of a transaction's partner events a person may hear of; nothing for the rest. */
function happening(event: PartnerEvent): Happening | undefined {
  const data = event.data as Data
  const account = text(data.account)
  switch (event.type) {
    case 'charge.succeeded':
    case 'hold.created':
      if (!account) return undefined
      return {
        kind: event.type === 'charge.succeeded' ? 'charge' : 'hold',
        id: text(data.id),
        account,
        amount: num(data.amount),
        currency: text(data.currency),
        service: text(data.service),
        subscription: text((data.metadata as Data | undefined)?.subscription),
      }
    case 'account.created':
      // A person's account at a partner is created at their first consent; managed ones have no person.
      if (data.kind !== 'protus' || typeof data.id !== 'string') return undefined
      return {
        kind: 'account',
        id: null,
        account: data.id,
        amount: null,
        currency: null,
        service: null,
        subscription: null,
      }
    default:
      return undefined
  }
}

/**
 * Receipts, "new partner connected" and low-balance alerts for people. It hears the partner
 * events other modules emit and enqueues the emails in the same transaction, so an email exists
 * exactly when the charge, renewal or consent does: per transaction one statement that finds
 * what to tell whom (only when something happened a person may hear of), and one that enqueues
 * the emails (only when there are any).
 */
export function createNotificationsService(deps: {
  db: Database
  repo: NotificationsRepository
  mail: Pick<MailService, 'enqueueMany'>
  clock: Clock
  /** The web app's address, for the links in the emails. */
  publicUrl: string
  onError?: (error: unknown, template: string) => void
}) {
  const { db, repo, mail, clock } = deps
  const base = deps.publicUrl.replace(/\/+$/, '')

  function message(notice: Notice): MailMessage {
    const { email: to, locale } = notice
    const money = (v: bigint | null) => Number(v ?? 0n)
    switch (notice.kind) {
      case 'receipt':
        return {
          to,
          locale,
          template: 'receipt',
          params: {
            partner: notice.partner ?? '',
            service: notice.service,
            subscription: notice.subscription !== null,
            amount: money(notice.amount),
            balance: money(notice.balance),
            currency: notice.currency,
            link: `${base}/wallet?entry=${encodeURIComponent(notice.charge_id ?? '')}`,
          },
        }
      case 'new_partner':
        return {
          to,
          locale,
          template: 'new_partner',
          params: { partner: notice.partner ?? '', link: `${base}/wallet/connected` },
        }
      case 'low_balance':
        return {
          to,
          locale,
          template: 'low_balance',
          params: {
            balance: money(notice.balance),
            threshold: money(notice.threshold),
            currency: notice.currency,
            link: `${base}/wallet`,
          },
        }
    }
  }

  return {
    /** The transaction hook: emails for what the events of this transaction tell. */
    async onEvents(tx: Queryable, events: readonly PartnerEvent[]): Promise<void> {
      const happenings = events.map(happening).filter((h): h is Happening => h !== undefined)
      if (happenings.length === 0) return
      const messages = (await repo.notices(tx, happenings)).map(message)
      try {
        await mail.enqueueMany(tx, messages)
      } catch (error) {
        if (fromDatabase(error)) throw error
        // A message that cannot be written (a defect) must not fail the payments it tells of:
        // the others go out, and it is logged.
        for (const one of messages) {
          try {
            await mail.enqueueMany(tx, [one])
          } catch (failed) {
            if (fromDatabase(failed)) throw failed
            deps.onError?.(failed, one.template)
          }
        }
      }
    },

    async get(customerId: string): Promise<SettingsView> {
      const row = await repo.find(db, customerId)
      return settingsView(row ?? { ...DEFAULTS, locale: await repo.accountLocale(db, customerId) })
    },

    async update(
      customerId: string,
      change: Omit<SettingsChange, 'low_balance_threshold'> & { low_balance_threshold?: number | null },
    ): Promise<SettingsView> {
      const { low_balance_threshold: threshold, ...rest } = change
      const next: SettingsChange =
        threshold === undefined
          ? rest
          : { ...rest, low_balance_threshold: threshold === null ? null : BigInt(threshold) }
      return settingsView(await repo.upsert(db, customerId, next, clock.now()))
    },
  }
}

export type NotificationsService = ReturnType<typeof createNotificationsService>
