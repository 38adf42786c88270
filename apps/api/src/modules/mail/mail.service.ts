import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { newId } from '../../lib/ids.js'
import { unstorable } from '../../lib/text.js'
import type { MailRepository, MailRow } from './mail.repository.js'
import { type MailLocale, type MailTemplate, renderMail } from './templates/mail-template.js'
import { type MailMessage, mailTemplates } from './templates/registry.js'

export type { MailMessage }

/** One address, nothing a header could be split with (RFC 5321 allows at most 254 characters). */
const ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+$/

/** A message in the sandbox mailbox, as `GET /v1/sandbox/mail` answers it. */
export function mailboxView(row: MailRow) {
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    created_at: row.created_at,
    sent_at: row.sent_at as Date,
  }
}

/**
 * Email for people. Modules call `enqueue` in the transaction of the change a message tells about,
 * so a message exists exactly when its change does; the mail worker sends it later, never the
 * request that made it.
 */
export function createMailService(deps: { db: Database; repo: MailRepository; clock: Clock }) {
  const { db, repo, clock } = deps
  const listeners: (() => void)[] = []

  const service = {
    /**
     * Renders the message in its locale and writes it to the outbox in the caller's transaction;
     * answers its id. A wrong address is a defect of the caller (addresses are validated where
     * people enter them), so it throws rather than answering a problem.
     */
    async enqueue(tx: Queryable, message: MailMessage): Promise<string> {
      const to = message.to.trim()
      if (to.length > 254 || !ADDRESS.test(to)) throw new Error(`not a mail address: ${JSON.stringify(to)}`)
      // The message type pairs each template with its own params; TypeScript cannot follow that pair here.
      const template = mailTemplates[message.template] as MailTemplate<typeof message.params>
      const rendered = renderMail(template[message.locale](message.params), message.locale)
      for (const text of Object.values(rendered)) {
        const why = unstorable(text)
        if (why) throw new Error(`the ${message.template} message ${why}`)
      }
      const now = clock.now()
      const id = newId('mail', now.getTime())
      await repo.insert(tx, {
        id,
        to_address: to,
        template: message.template,
        locale: message.locale,
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        created_at: now,
      })
      // The transaction has not committed yet: look soon, and once more a little later; a worker
      // that still looks too early finds the message on its next poll.
      for (const listener of listeners) {
        setTimeout(listener, 5).unref()
        setTimeout(listener, 50).unref()
      }
      return id
    },

    /**
     * `enqueue` for several messages at once: one statement in the caller's transaction (a
     * transaction that tells many people, such as a billing batch, pays one round trip).
     */
    async enqueueMany(tx: Queryable, messages: readonly MailMessage[]): Promise<string[]> {
      if (messages.length === 0) return []
      const now = clock.now()
      const rows = messages.map((message) => {
        const to = message.to.trim()
        if (to.length > 254 || !ADDRESS.test(to)) throw new Error(`not a mail address: ${JSON.stringify(to)}`)
        const template = mailTemplates[message.template] as MailTemplate<typeof message.params>
        const rendered = renderMail(template[message.locale](message.params), message.locale)
        for (const text of Object.values(rendered)) {
          const why = unstorable(text)
          if (why) throw new Error(`the ${message.template} message ${why}`)
        }
        return {
          id: newId('mail', now.getTime()),
          to_address: to,
          template: message.template,
          locale: message.locale,
          subject: rendered.subject,
          text_body: rendered.text,
          html_body: rendered.html,
          created_at: now,
        }
      })
      await repo.insertMany(tx, rows)
      for (const listener of listeners) {
        setTimeout(listener, 5).unref()
        setTimeout(listener, 50).unref()
      }
      return rows.map((r) => r.id)
    },

    /** `protus mail test`: a test message in a transaction of its own; answers its id. */
    sendTestMessage(to: string, locale: MailLocale, note: string): Promise<string> {
      return db.transaction((tx) =>
        service.enqueue(tx, { to, template: 'test_message', locale, params: { note } }),
      )
    },

    /** A message's state in the outbox: sent, waiting for an attempt, or failed with its last error. */
    async status(id: string) {
      const row = await repo.find(db, id)
      return (
        row && {
          status: row.status,
          transport: row.transport,
          attempts: row.attempt_count,
          next_attempt_at: row.next_attempt_at,
          last_error: row.last_error,
        }
      )
    },

    /** Called soon after a message is enqueued (the in-process worker wakes up). */
    onEnqueued(listener: () => void): void {
      listeners.push(listener)
    },

    /** The sandbox mailbox, newest first. */
    async mailbox(to: string | undefined, page: { limit: number; startingAfter?: string }) {
      const rows = await repo.mailbox(db, to, page)
      return { data: rows.slice(0, page.limit).map(mailboxView), has_more: rows.length > page.limit }
    },

    /** Messages not sent yet (due now, in all) and those that failed for good (metrics). */
    async queueStats() {
      const now = clock.now()
      const stats = await repo.queueStats(db, now)
      return {
        due: Number(stats.due),
        scheduled: Number(stats.pending - stats.due),
        failed: Number(stats.failed),
        oldestPendingAgeSeconds: stats.oldest_pending_at
          ? Math.max(0, (now.getTime() - stats.oldest_pending_at.getTime()) / 1000)
          : 0,
      }
    },

    /** Retention: messages sent or failed more than `keepDays` before `now` are deleted. */
    prune(now: Date, limit: number, keepDays: number): Promise<number> {
      return repo.deleteFinishedBefore(db, new Date(now.getTime() - keepDays * 86_400_000), limit)
    },
  }
  return service
}

export type MailService = ReturnType<typeof createMailService>
