import nodemailer from 'nodemailer'
import type { MailTransportName } from './mail.repository.js'

/** A message as a transport sends it. */
export interface OutgoingMail {
  id: string
  to: string
  subject: string
  text: string
  html: string
}

/** How messages leave PROTUS. `send` resolves once the message is accepted, or throws why not. */
export interface MailTransport {
  readonly name: MailTransportName
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

/** An SMTP error and whether trying again may help. */
export class MailSendError extends Error {
  constructor(
    message: string,
    /** The server refused this very message or recipient (a 5xx to RCPT TO or DATA): it never will take it. */
    readonly permanent: boolean,
  ) {
    super(message)
    this.name = 'MailSendError'
  }
}

/** How long one SMTP step may take; the worker's lease outlasts a whole send. */
export const SMTP_TIMEOUT_MS = 30_000

/**
 * The sandbox mailbox: a message is delivered by being stored, which the outbox row already is,
 * and read back at `GET /v1/sandbox/mail`.
 */
export const mailboxTransport: MailTransport = {
  name: 'mailbox',
  send: async () => {},
  close: () => {},
}

/**
 * SMTP through nodemailer, over a small pool of connections. The URL takes nodemailer's options
 * (`smtps://` for TLS from the start; `smtp://` upgrades with STARTTLS when the server offers it,
 * `?requireTLS=true` insists). Each message carries its outbox id in its Message-ID, so a message
 * sent again after a lost lease can be recognized by the receiving side.
 */
export function createSmtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(
    {
      url,
      pool: true,
      maxConnections: 4,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    },
    { from },
  )
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'protus.invalid'
  return {
    name: 'smtp',
    async send(mail) {
      try {
        await transporter.sendMail({
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: `<${mail.id}@${domain}>`,
        })
      } catch (error) {
        throw smtpError(error)
      }
    },
    close: () => transporter.close(),
  }
}

function smtpError(error: unknown): MailSendError {
  const e = error as { message?: unknown; responseCode?: unknown; command?: unknown; response?: unknown }
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined
  const permanent =
    code !== undefined && code >= 500 && code < 600 && ['RCPT TO', 'DATA'].includes(String(e.command))
  const text = typeof e.response === 'string' ? e.response : String(e.message ?? error)
  return new MailSendError(text.slice(0, 500), permanent)
}
