import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { randomToken, sameDigest, sha256 } from '../../lib/secrets.js'
import type { RateLimits } from '../limits/rate-limits.js'
import type { MailService } from '../mail/mail.service.js'
import type { MailLocale } from '../mail/templates/mail-template.js'
import type { EmailTokenPurpose, EmailTokenRow, EmailTokensRepository } from './email-tokens.repository.js'
import { emailKey, type PrincipalKind } from './identity.repository.js'
import type { Passwords } from './passwords.js'

const HOUR_MS = 3_600_000

/** How long each kind of link works. */
export const LINK_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * HOUR_MS,
  change_email: 24 * HOUR_MS,
  reset_password: HOUR_MS,
}

/** Messages with links one address may be sent per hour, per kind of link. */
export const LINKS_PER_RECIPIENT_PER_HOUR = 5

/** The page of the web app each kind of link opens. */
const LINK_PAGES: Record<EmailTokenPurpose, string> = {
  verify_email: '/verify-email',
  change_email: '/verify-email',
  reset_password: '/reset-password',
}

export interface Account {
  kind: PrincipalKind
  id: string
}

export interface EmailTokensDeps {
  db: Database
  repo: EmailTokensRepository
  mail: Pick<MailService, 'enqueue'>
  rateLimits: Pick<RateLimits, 'hit'>
  passwords: Passwords
  clock: Clock
  /** Where the web app is, for the links. */
  publicUrl: string
}

/**
 * Mailed single-use links: a link carries `id.secret`; PROTUS keeps the secret's SHA-256 and
 * compares digests in constant time. Verification links (24 h) prove an account's address or a new
 * address it changes to; reset links (1 h) are made by password-reset.ts on the same machinery.
 */
export function createEmailTokens(deps: EmailTokensDeps) {
  const { db, repo, mail, rateLimits, passwords, clock } = deps
  const base = deps.publicUrl.replace(/\/+$/, '')

  /**
   * Counts one message of this kind to `email` and answers whether it may go: at most
   * LINKS_PER_RECIPIENT_PER_HOUR an hour, in every process. Unknown addresses count the same way.
   */
  async function mayMail(purpose: EmailTokenPurpose, email: string): Promise<boolean> {
    const key = `mail:${purpose}:${sha256(emailKey(email)).toString('hex')}`
    const { current } = await rateLimits.hit(key, HOUR_MS)
    return current <= LINKS_PER_RECIPIENT_PER_HOUR
  }

  /** Makes a link for the account and mails it to `email`, in `tx`; answers the link. */
  async function issue(
    tx: Queryable,
    account: Account,
    purpose: EmailTokenPurpose,
    email: string,
    locale: MailLocale,
  ): Promise<string> {
    const now = clock.now()
    const id = randomToken(12)
    const secret = randomToken(32)
    await repo.insertToken(tx, {
      id,
      secret_digest: sha256(secret).toString('hex'),
      purpose,
      principal_kind: account.kind,
      principal_id: account.id,
      email,
      created_at: now,
      expires_at: new Date(now.getTime() + LINK_LIFETIME_MS[purpose]),
    })
    const link = `${base}${LINK_PAGES[purpose]}?token=${encodeURIComponent(`${id}.${secret}`)}`
    if (purpose === 'change_email')
      await mail.enqueue(tx, { to: email, template: 'change_email', locale, params: { link, email } })
    else if (purpose === 'verify_email')
      await mail.enqueue(tx, { to: email, template: 'verify_email', locale, params: { link } })
    else await mail.enqueue(tx, { to: email, template: 'reset_password', locale, params: { link } })
    return link
  }

  /**
   * The link's token, locked in `tx`, when it is one of `purposes`, unused and unexpired; otherwise
   * 400 link_invalid (unknown or forged), 410 link_used or 410 link_expired, and nothing changes.
   */
  async function redeem(
    tx: Queryable,
    token: string,
    purposes: readonly EmailTokenPurpose[],
  ): Promise<EmailTokenRow> {
    const dot = token.indexOf('.')
    const row = dot > 0 ? await repo.lockToken(tx, token.slice(0, dot)) : undefined
    const presented = sha256(dot > 0 ? token.slice(dot + 1) : token)
    const stored = Buffer.from(row?.secret_digest ?? '00'.repeat(32), 'hex')
    const matches = sameDigest(presented, stored)
    if (!row || !matches || !purposes.includes(row.purpose))
      throw new DomainError('link_invalid', 'this link is not one PROTUS made; ask for a new one')
    if (row.used_at) throw new DomainError('link_used', 'this link was used already; ask for a new one')
    if (row.expires_at.getTime() <= clock.now().getTime())
      throw new DomainError('link_expired', 'this link has expired; ask for a new one')
    return row
  }

  return {
    mayMail,
    issue,
    redeem,

    /** In the registration transaction: remembers the account's language and mails a verification link. */
    async registered(tx: Queryable, account: Account & { email: string; locale: MailLocale }): Promise<void> {
      await repo.setLocale(tx, account.kind, account.id, account.locale)
      await issue(tx, account, 'verify_email', account.email, account.locale)
    },

    async isVerified(account: Account): Promise<boolean> {
      const contact = await repo.contact(db, account.kind, { id: account.id })
      return Boolean(contact?.email_verified_at)
    },

    /** "Send again": a new verification link to the account's address; 409 when it is proven already. */
    async resendVerification(account: Account): Promise<void> {
      const contact = await repo.contact(db, account.kind, { id: account.id })
      if (!contact) throw new DomainError('not_found', 'no such account')
      if (contact.email_verified_at)
        throw new DomainError('email_already_verified', 'this email is verified already')
      if (!(await mayMail('verify_email', contact.email)))
        throw new DomainError('rate_limited', 'too many messages to this address; try again in an hour', {
          headers: { 'retry-after': '3600' },
        })
      await db.transaction((tx) => issue(tx, account, 'verify_email', contact.email, contact.locale))
    },

    /**
     * Change of email: the current password is required; the new address gets a link, and the change
     * happens when it is followed (the old address is told then).
     */
    async requestEmailChange(account: Account, input: { email: string; password: string }): Promise<void> {
      const email = input.email.trim()
      const contact = await repo.contact(db, account.kind, { id: account.id })
      if (!contact) throw new DomainError('not_found', 'no such account')
      if (!(await passwords.check(contact.password_hash, input.password)))
        throw new DomainError('current_password_invalid', 'the current password is wrong')
      if (emailKey(email) === emailKey(contact.email))
        throw new DomainError('validation_failed', 'this is the account’s email already', {
          errors: [{ field: '/email', message: 'is the current email' }],
        })
      if (await repo.contact(db, account.kind, { email }))
        throw new DomainError('email_taken', 'another account has this email')
      if (!(await mayMail('change_email', email)))
        throw new DomainError('rate_limited', 'too many messages to this address; try again in an hour', {
          headers: { 'retry-after': '3600' },
        })
      await db.transaction((tx) => issue(tx, account, 'change_email', email, contact.locale))
    },

    /** Follows a verification link: proves the address, or changes the account's email to it. */
    async verify(token: string): Promise<{ kind: PrincipalKind; email: string }> {
      return db.transaction(async (tx) => {
        const row = await redeem(tx, token, ['verify_email', 'change_email'])
        const account = { kind: row.principal_kind, id: row.principal_id }
        const contact = await repo.contact(tx, account.kind, { id: account.id }, { forUpdate: true })
        if (!contact) throw new DomainError('link_invalid', 'the account of this link is gone')
        const now = clock.now()
        if (row.purpose === 'verify_email') {
          // A link to an address the account no longer has proves nothing about the current one.
          if (emailKey(row.email) !== emailKey(contact.email))
            throw new DomainError('link_invalid', 'the account’s email has changed since this link was sent')
          await repo.useTokens(tx, account.kind, account.id, ['verify_email'], now)
          await repo.setVerified(tx, account.kind, account.id, now)
          return { kind: account.kind, email: contact.email }
        }
        await repo.changeEmail(tx, account.kind, account.id, row.email, now)
        // Links sent to the old address (to verify it or reset its password) end with it.
        await repo.useTokens(
          tx,
          account.kind,
          account.id,
          ['verify_email', 'change_email', 'reset_password'],
          now,
        )
        await mail.enqueue(tx, {
          to: contact.email,
          template: 'email_changed',
          locale: contact.locale,
          params: { email: row.email },
        })
        return { kind: account.kind, email: row.email }
      })
    },

    /** Retention: drops at most `limit` links expired by `now`. */
    prune: (now: Date, limit: number) => repo.prune(db, now, limit),
  }
}

export type EmailTokens = ReturnType<typeof createEmailTokens>

/**
 * The language of a registration: the body's `locale`, else the first of en and ru in the
 * request's Accept-Language (by its q weights), else English.
 */
export function localeOf(request: {
  body: { locale?: MailLocale }
  headers: { 'accept-language'?: string }
}): MailLocale {
  if (request.body.locale) return request.body.locale
  const ranges = (request.headers['accept-language'] ?? '')
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      return { language: range.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index }
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  const found = ranges.find((r) => r.language === 'en' || r.language === 'ru')
  return found?.language === 'ru' ? 'ru' : 'en'
}
