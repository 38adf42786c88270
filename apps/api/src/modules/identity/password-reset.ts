import type { Database } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import type { MailService } from '../mail/mail.service.js'
import type { EmailTokens } from './email-tokens.js'
import type { EmailTokensRepository } from './email-tokens.repository.js'
import type { PrincipalKind } from './identity.repository.js'
import type { Passwords } from './passwords.js'

const KINDS: readonly PrincipalKind[] = ['customer', 'company']

/**
 * "Forgot password?": a 1-hour single-use link to the email's account, and a new password from it.
 * Asking answers the same whatever the email is, and does the same work (a rate-limit count per
 * kind) for an unknown one, so neither the answer nor its time tells whether the email is registered.
 */
export function createPasswordReset(deps: {
  db: Database
  repo: EmailTokensRepository
  links: EmailTokens
  mail: Pick<MailService, 'enqueue'>
  passwords: Passwords
  clock: Clock
}) {
  const { db, repo, links, mail, passwords, clock } = deps

  return {
    /** Mails a reset link to the email's person and/or company (only `kind`'s when given). */
    async request(input: { email: string; kind?: PrincipalKind }): Promise<void> {
      const email = input.email.trim()
      for (const kind of input.kind ? [input.kind] : KINDS) {
        // Counted for unknown addresses too; over the limit nothing is sent, and the answer is the same.
        const may = await links.mayMail('reset_password', `${kind}:${email}`)
        const contact = await repo.contact(db, kind, { email })
        if (!may || !contact) continue
        await db.transaction((tx) =>
          links.issue(tx, { kind, id: contact.id }, 'reset_password', contact.email, contact.locale),
        )
      }
    },

    /**
     * Sets the new password from a reset link: every session of the account ends, every other reset
     * link with it, the address counts as proven (the link reached it), and a notice is mailed there.
     */
    async complete(input: { token: string; password: string }): Promise<{ kind: PrincipalKind }> {
      const passwordHash = await passwords.hash(input.password)
      return db.transaction(async (tx) => {
        const row = await links.redeem(tx, input.token, ['reset_password'])
        const kind = row.principal_kind
        const id = row.principal_id
        const contact = await repo.contact(tx, kind, { id }, { forUpdate: true })
        const now = clock.now()
        if (!contact) throw new DomainError('link_invalid', 'the account of this link is gone')
        await repo.setPassword(tx, kind, id, passwordHash)
        await repo.deleteSessions(tx, kind, id)
        await repo.useTokens(tx, kind, id, ['reset_password'], now)
        if (row.email.toLowerCase() === contact.email.toLowerCase()) await repo.setVerified(tx, kind, id, now)
        await mail.enqueue(tx, {
          to: contact.email,
          template: 'password_reset',
          locale: contact.locale,
          params: {},
        })
        return { kind }
      })
    },
  }
}

export type PasswordReset = ReturnType<typeof createPasswordReset>
