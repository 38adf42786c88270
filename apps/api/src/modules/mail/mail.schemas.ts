import { Type } from 'typebox'
import { PageQuery, Timestamp } from '../../lib/schemas.js'

const EMAIL_LIMITS = { format: 'email', minLength: 3, maxLength: 254 }

export const SandboxMail = Type.Object(
  {
    id: Type.String({ description: 'The message id (`mail_…`)' }),
    to: Type.String({ description: 'The recipient address' }),
    subject: Type.String(),
    text: Type.String({ description: 'The plain-text part' }),
    html: Type.String({ description: 'The HTML part' }),
    created_at: Timestamp,
    sent_at: Timestamp,
  },
  {
    additionalProperties: false,
    $id: 'SandboxMail',
    description: 'A message PROTUS sent to the sandbox mailbox instead of over SMTP',
  },
)

export const MailboxQuery = Type.Object(
  {
    to: Type.Optional(
      Type.String({ ...EMAIL_LIMITS, description: 'Only messages to this address (any letter case)' }),
    ),
    ...PageQuery('mail'),
  },
  { additionalProperties: false },
)

export const mailSchemas = [SandboxMail]
