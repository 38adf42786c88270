import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import { randomToken, sameDigest, sha256 } from '../../lib/secrets.js'
import type { MailLocale } from '../mail/templates/mail-template.js'
import { createClientCache } from './client-cache.js'
import type { CompanySecrets } from './company-secrets.js'
import {
  type CompanyRow,
  type CustomerRow,
  type IdentityRepository,
  type PrincipalKind,
  SECRET_ROTATIONS_CHANNEL,
  type SecretRotation,
} from './identity.repository.js'
import type { Passwords } from './passwords.js'
import { storedUserAgent } from './sessions-device.js'
import type { SignInThrottle } from './sign-in-throttle.js'
import type { SignInChallenge, TwoFactorProof } from './two-factor.service.js'

const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['customer', 'company']
/** A session's last use is recorded at most this often. */
const LAST_SEEN_EVERY_MS = 60_000

export interface Customer {
  id: string
  email: string
  username: string
  created_at: Date
  /** Whether the person followed the verification link to the current email. */
  email_verified: boolean
}

export interface CompanyCreated {
  id: string
  name: string
  email: string
  client_id: string
  client_secret: string
  webhook_secret: string
  created_at: Date
}

export type Principal =
  | { kind: 'customer'; id: string; via: 'session' }
  | { kind: 'company'; id: string; via: 'session' | 'basic' }

export interface Session {
  /** The public id (`ses_…`) its owner lists and ends it by. */
  id: string
  principal: Principal
  csrfToken: string
  expiresAt: Date
}

/** Runs inside the registration transaction, so what it creates exists exactly when the person does. */
export type CustomerRegisteredHook = (tx: Queryable, customer: Customer) => Promise<void>

/** A new person or company, in its registration transaction, with the language PROTUS writes to it in. */
export type AccountRegisteredHook = (
  tx: Queryable,
  account: { kind: PrincipalKind; id: string; email: string; locale: MailLocale },
) => Promise<void>

export interface IdentityDeps {
  db: Database
  repo: IdentityRepository
  clock: Clock
  throttle: SignInThrottle
  passwords: Passwords
  secrets: CompanySecrets
  sessionTtlSeconds: number
  onCustomerRegistered?: CustomerRegisteredHook[]
  /** After the kind's own hooks, for people and companies alike (email verification). */
  onAccountRegistered?: AccountRegisteredHook[]
  /** Two-factor sign-in: asks for a code after the password of an account that has it on. */
  secondFactor?: SecondFactorGate
}

/** The code step of a sign-in (two-factor.service.ts). */
export interface SecondFactorGate {
  challenge(account: { kind: PrincipalKind; id: string }): Promise<SignInChallenge | undefined>
  answer(
    input: { challengeId: string; ip: string } & TwoFactorProof,
  ): Promise<{ kind: PrincipalKind; id: string }>
}

const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  email: row.email,
  username: row.username,
  created_at: row.created_at,
  email_verified: Boolean(row.email_verified_at),
})

function parseRotation(payload: string): SecretRotation | undefined {
  try {
    const parsed = JSON.parse(payload) as Partial<SecretRotation> | null
    return typeof parsed?.company_id === 'string' && typeof parsed.kind === 'string'
      ? { company_id: parsed.company_id, kind: parsed.kind }
      : undefined
  } catch {
    return undefined
  }
}

export function createIdentityService(deps: IdentityDeps) {
  const { db, repo, clock, throttle, passwords, secrets } = deps
  const clientCache = createClientCache()
  const hooks = deps.onCustomerRegistered ?? []

  /** A rotation may have ended secrets that this process remembers as valid. */
  function secretsRotated(rotation: SecretRotation | undefined): void {
    // An announcement that cannot be read might have been about anyone.
    if (!rotation) clientCache.forget()
    else if (rotation.kind === 'client_secret') clientCache.forget(rotation.company_id)
  }

  /** The accounts of `email` among `kinds`, with their password hashes. */
  async function findAccounts(kinds: readonly PrincipalKind[], email: string) {
    const rows = await Promise.all(
      kinds.map(async (kind) => {
        const row =
          kind === 'customer' ? await repo.findCustomer(db, { email }) : await repo.findCompany(db, { email })
        return row && { kind, id: row.id, hash: row.password_hash }
      }),
    )
    return rows.filter((row) => row !== undefined)
  }

  /**
   * The accounts the password opens. Each account's hash is checked, at once; with no account, a
   * decoy is, so an unknown email costs the same work as an email of one kind.
   */
  async function accountsOpenedBy(accounts: Awaited<ReturnType<typeof findAccounts>>, password: string) {
    if (accounts.length === 0) {
      await passwords.check(undefined, password)
      return []
    }
    const valid = await Promise.all(accounts.map((account) => passwords.check(account.hash, password)))
    return accounts.filter((_, i) => valid[i]).map(({ kind, id }) => ({ kind, id }))
  }

  /** Opens a server-side session for an account that proved who it is; the cookie token is returned once. */
  async function openSession(
    found: { kind: PrincipalKind; id: string },
    input: { ip: string; userAgent?: string },
  ): Promise<{ token: string; session: Session }> {
    const { ip } = input
    const now = clock.now()
    const token = randomToken(32)
    const session: Session = {
      id: newId('ses', now.getTime()),
      principal: { kind: found.kind, id: found.id, via: 'session' } as Principal,
      csrfToken: randomToken(32),
      expiresAt: new Date(now.getTime() + deps.sessionTtlSeconds * 1000),
    }
    await repo.insertSession(db, {
      token_digest: sha256(token).toString('hex'),
      id: session.id,
      user_agent: storedUserAgent(input.userAgent),
      address: ip,
      principal_kind: found.kind,
      principal_id: found.id,
      csrf_token: session.csrfToken,
      created_at: now,
      expires_at: session.expiresAt,
    })
    return { token, session }
  }

  return {
    async registerCustomer(input: {
      email: string
      username: string
      password: string
      locale?: MailLocale
    }): Promise<Customer> {
      const passwordHash = await passwords.hash(input.password)
      const now = clock.now()
      const row: CustomerRow = {
        id: newId('cus', now.getTime()),
        email: input.email.trim(),
        username: input.username,
        password_hash: passwordHash,
        created_at: now,
      }
      return db.transaction(async (tx) => {
        await repo.insertCustomer(tx, row)
        const customer = toCustomer(row)
        for (const hook of hooks) await hook(tx, customer)
        for (const hook of deps.onAccountRegistered ?? [])
          await hook(tx, { kind: 'customer', id: row.id, email: row.email, locale: input.locale ?? 'en' })
        return customer
      })
    },

    async registerCompany(input: {
      email: string
      name: string
      password: string
      locale?: MailLocale
    }): Promise<CompanyCreated> {
      const passwordHash = await passwords.hash(input.password)
      const now = clock.now()
      const row: CompanyRow = {
        id: newId('co', now.getTime()),
        name: input.name.trim(),
        email: input.email.trim(),
        password_hash: passwordHash,
        client_id: newId('cli', now.getTime()),
        redirect_uris: [],
        webhook_url: null,
        created_at: now,
        updated_at: now,
      }
      return db.transaction(async (tx) => {
        await repo.insertCompany(tx, row)
        const clientSecret = await secrets.issue(tx, row.id, 'client_secret', now)
        const webhookSecret = await secrets.issue(tx, row.id, 'webhook_secret', now)
        for (const hook of deps.onAccountRegistered ?? [])
          await hook(tx, { kind: 'company', id: row.id, email: row.email, locale: input.locale ?? 'en' })
        return {
          id: row.id,
          name: row.name,
          email: row.email,
          client_id: row.client_id,
          client_secret: clientSecret,
          webhook_secret: webhookSecret,
          created_at: now,
        }
      })
    },

    /**
     * Checks email and password and opens a server-side session; returns the cookie token once.
     * Without `kind`, the password is tried on the email's person and company alike: the one it
     * opens is signed in, and when it opens both, 409 account_kind_ambiguous asks which.
     */
    async signIn(input: {
      kind?: PrincipalKind
      email: string
      password: string
      ip: string
      userAgent?: string
    }) {
      const { email, ip } = input
      const kinds = input.kind ? [input.kind] : PRINCIPAL_KINDS
      const accounts = await findAccounts(kinds, email)
      // Counted before the check, so that parallel guesses are all counted.
      const attempt = await throttle.attempt({ kinds, email, ip, accounts })
      const tried = accounts.filter((account) => attempt.kinds.includes(account.kind))
      const opened = await accountsOpenedBy(tried, input.password).catch(async (error: unknown) => {
        await throttle.unchecked(attempt)
        throw error
      })
      const [found] = opened
      if (!found) throw attempt.heldBack ?? new DomainError('invalid_credentials', 'wrong email or password')
      await throttle.succeeded(attempt, opened)
      if (opened.length > 1)
        throw new DomainError(
          'account_kind_ambiguous',
          'this email and password open both a person and a company: send kind "customer" or "company"',
        )
      const challenge = await deps.secondFactor?.challenge(found)
      if (challenge) return { challenge }
      return openSession(found, input)
    },

    /** The code step of a sign-in: a code (or recovery code) answers the password's challenge. */
    async completeSignIn(input: { challengeId: string; ip: string; userAgent?: string } & TwoFactorProof) {
      if (!deps.secondFactor) throw new DomainError('sign_in_challenge_invalid', 'no code step to answer')
      return openSession(await deps.secondFactor.answer(input), input)
    },

    /** Retention: drops at most `limit` sessions expired at `now` (they sign nobody in any more). */
    pruneSessions: (now: Date, limit: number) => repo.deleteExpiredSessions(db, now, limit),

    async signOut(token: string): Promise<void> {
      await repo.deleteSession(db, sha256(token).toString('hex'))
    },

    /**
     * The live session of a cookie token. With `seen` (a request's address), records the session's
     * last use, at most once a minute, so that reading a session rarely writes.
     */
    async resolveSession(token: string, seen?: { ip: string }): Promise<Session | undefined> {
      const digest = sha256(token).toString('hex')
      const now = clock.now()
      const row = await repo.findSession(db, digest, now)
      if (!row) return undefined
      const seenSince = new Date(now.getTime() - LAST_SEEN_EVERY_MS)
      if (seen && row.last_seen_at < seenSince) await repo.touchSession(db, digest, now, seen.ip, seenSince)
      return {
        id: row.id,
        principal: { kind: row.principal_kind, id: row.principal_id, via: 'session' } as Principal,
        csrfToken: row.csrf_token,
        expiresAt: row.expires_at,
      }
    },

    /**
     * Partner server authentication (HTTP Basic with client_id and client_secret). A success is
     * remembered for a few seconds (never past the secret's end date), so a busy partner does not
     * cost a database read per request.
     */
    async authenticateClient(clientId: string, clientSecret: string): Promise<string | undefined> {
      const now = clock.now()
      const cacheKey = sha256(`${clientId}\n${clientSecret}`).toString('hex')
      const cached = clientCache.get(cacheKey, now.getTime())
      if (cached) return cached
      const epoch = clientCache.epoch()
      const presented = sha256(clientSecret)
      const candidates = await repo.clientSecretDigests(db, clientId, now)
      const match = candidates.find((c) => sameDigest(presented, Buffer.from(c.digest, 'hex')))
      if (!match) return undefined
      clientCache.remember(cacheKey, {
        companyId: match.company_id,
        now: now.getTime(),
        expiresAt: match.expires_at?.getTime() ?? Number.POSITIVE_INFINITY,
        epoch,
      })
      return match.company_id
    },

    secretsRotated,

    /**
     * Hears the rotations of every process on the database, so a secret ended elsewhere stops
     * working here within moments; while they cannot be heard, nothing is remembered.
     */
    async watchSecretRotations(): Promise<() => Promise<void>> {
      return db.listen(SECRET_ROTATIONS_CHANNEL, {
        notification: (payload) => secretsRotated(parseRotation(payload)),
        listening: (on) => clientCache.hearing(on),
      })
    },

    async getCustomer(id: string): Promise<Customer> {
      const row = await repo.findCustomer(db, { id })
      if (!row) throw new DomainError('not_found', 'no such customer')
      return toCustomer(row)
    },
  }
}

export type IdentityService = ReturnType<typeof createIdentityService>
