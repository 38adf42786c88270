import type { FastifyInstance } from 'fastify'
import type { MailLocale } from '../../src/modules/mail/templates/mail-template.js'

/** Enqueues a test message in a transaction of its own; answers its id. */
export function enqueueTest(app: FastifyInstance, to: string, note = '', locale: MailLocale = 'en') {
  return app.db.transaction((tx) =>
    app.services.mail.enqueue(tx, { to, template: 'test_message', locale, params: { note } }),
  )
}

export interface StoredMail {
  id: string
  status: 'pending' | 'sent' | 'failed'
  attempt_count: number
  next_attempt_at: Date | null
  last_error: string | null
  transport: string | null
  sent_at: Date | null
  failed_at: Date | null
}

/** The outbox row of a message, as the worker left it. */
export async function storedMail(app: FastifyInstance, id: string): Promise<StoredMail> {
  const [row] = await app.db.query<StoredMail>(
    `SELECT id, status, attempt_count, next_attempt_at, last_error, transport, sent_at, failed_at
       FROM mail_messages WHERE id = $1`,
    [id],
  )
  if (!row) throw new Error(`no message ${id}`)
  return row
}

export const mailCount = async (app: FastifyInstance) =>
  Number((await app.db.query<{ n: bigint }>('SELECT count(*) AS n FROM mail_messages'))[0]?.n)
