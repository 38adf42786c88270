import type { Migration } from '../../../db/migrations.js'

export const mailMigrations: Migration[] = [
  {
    id: 'mail/001-outbox',
    sql: `
-- The mail outbox: one row per message, written in the transaction of the change it tells about,
-- rendered once (subject, plain text and HTML), so every attempt sends the same message.
CREATE TABLE mail_messages (
  id              text PRIMARY KEY,
  to_address      text NOT NULL,
  template        text NOT NULL,
  locale          text NOT NULL CHECK (locale IN ('en', 'ru')),
  subject         text NOT NULL,
  text_body       text NOT NULL,
  html_body       text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempt_count   integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  -- A worker's claim: no other worker sends the message until leased_until.
  lease_id        text,
  leased_until    timestamptz,
  last_error      text,
  -- How it went out: over SMTP, or into the sandbox mailbox.
  transport       text CHECK (transport IN ('smtp', 'mailbox')),
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  failed_at       timestamptz,
  CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL AND transport IS NOT NULL)),
  CHECK ((status = 'failed') = (failed_at IS NOT NULL))
);
CREATE INDEX mail_messages_due ON mail_messages (next_attempt_at) WHERE status = 'pending';
-- The sandbox mailbox, newest first, for one address or for all.
CREATE INDEX mail_messages_mailbox ON mail_messages (lower(to_address), id DESC)
  WHERE status = 'sent' AND transport = 'mailbox';
-- Retention drops finished messages by age.
CREATE INDEX mail_messages_sent ON mail_messages (sent_at) WHERE status = 'sent';
CREATE INDEX mail_messages_failed ON mail_messages (failed_at) WHERE status = 'failed';
`,
  },
]
