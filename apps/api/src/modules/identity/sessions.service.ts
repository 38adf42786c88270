import type { Database } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import type { MailService } from '../mail/mail.service.js'
import type { MailLocale } from '../mail/templates/mail-template.js'
import type { Principal } from './identity.service.js'
import type { Passwords } from './passwords.js'
import type { SessionsRepository } from './sessions.repository.js'
import { type Device, deviceOf } from './sessions-device.js'

export interface SessionInfo extends Device {
  id: string
  /** The session of the request that asks. */
  current: boolean
  user_agent: string
  /** The client address the session was last used from. */
  address: string
  created_at: Date
  last_seen_at: Date
  expires_at: Date
}

/** Password changes an account may try per window, right or wrong. */
export const PASSWORD_CHANGES_PER_WINDOW = 10
const PASSWORD_CHANGE_WINDOW_MS = 60 * 60_000

const utcMinute = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`

/** The signed-in devices of an account and its password, as the account's owner manages them. */
export function createSessionsService(deps: {
  db: Database
  repo: SessionsRepository
  clock: Clock
  passwords: Passwords
  mail: Pick<MailService, 'enqueue'>
  /** Counts a hit on `key` in a fixed window (the rate limits' store, shared by every process). */
  hit: (key: string, windowMs: number) => Promise<{ current: number; ttl: number }>
}) {
  const { db, repo, clock, passwords, mail } = deps

  return {
    async list(principal: Principal, currentId: string): Promise<SessionInfo[]> {
      const rows = await repo.list(db, principal.kind, principal.id, clock.now())
      return rows.map((row) => ({
        id: row.id,
        current: row.id === currentId,
        ...deviceOf(row.user_agent),
        user_agent: row.user_agent,
        address: row.address,
        created_at: row.created_at,
        last_seen_at: row.last_seen_at,
        expires_at: row.expires_at,
      }))
    },

    /** Ends one of the account's sessions (its own current one too); 404 for anyone else's. */
    async signOut(principal: Principal, sessionId: string): Promise<void> {
      if (!(await repo.delete(db, principal.kind, principal.id, sessionId)))
        throw new DomainError('not_found', 'no such session')
    },

    /** Ends every session of the account but the current one; answers how many. */
    signOutOthers: (principal: Principal, currentId: string): Promise<number> =>
      repo.deleteOthers(db, principal.kind, principal.id, currentId),

    /**
     * Sets a new password when the current one is right, ends every other session of the account
     * and tells its address, all in one transaction. Attempts are counted per account before the
     * check, so a stolen session cannot guess the password quickly.
     */
    async changePassword(input: {
      principal: Principal
      currentSessionId: string
      currentPassword: string
      newPassword: string
      locale: MailLocale
    }): Promise<{ signedOut: number }> {
      const { principal } = input
      const counted = await deps.hit(
        `password-change:${principal.kind}:${principal.id}`,
        PASSWORD_CHANGE_WINDOW_MS,
      )
      if (counted.current > PASSWORD_CHANGES_PER_WINDOW) {
        const retryAfter = Math.max(1, Math.ceil(counted.ttl / 1000))
        throw new DomainError('too_many_attempts', `try again in ${retryAfter} s`, {
          headers: { 'retry-after': String(retryAfter) },
        })
      }
      const account = await repo.account(db, principal.kind, principal.id)
      if (!account) throw new DomainError('unauthenticated')
      if (!(await passwords.check(account.password_hash, input.currentPassword)))
        throw new DomainError('current_password_invalid', 'the current password is not right')
      const newHash = await passwords.hash(input.newPassword)
      return db.transaction(async (tx) => {
        const now = clock.now()
        // A change that raced this one made the checked password stale.
        if (!(await repo.setPassword(tx, principal.kind, principal.id, account.password_hash, newHash, now)))
          throw new DomainError('current_password_invalid', 'the password was changed meanwhile')
        const signedOut = await repo.deleteOthers(tx, principal.kind, principal.id, input.currentSessionId)
        await mail.enqueue(tx, {
          to: account.email,
          template: 'password_changed',
          locale: input.locale,
          params: { name: account.name, changed_at: utcMinute(now) },
        })
        return { signedOut }
      })
    },
  }
}

export type SessionsService = ReturnType<typeof createSessionsService>
