import type { Database, Queryable } from '../../db/database.js'
import { addressKey } from '../../lib/client-address.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { randomToken, seal, sha256, unseal } from '../../lib/secrets.js'
import type { IdentityRepository } from './identity.repository.js'
import { SIGN_IN_LIMITS } from './sign-in-throttle.js'
import type { SignInThrottleRepository } from './sign-in-throttle.repository.js'
import {
  enrolmentUri,
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  normalRecoveryCode,
} from './two-factor.codes.js'
import type { TwoFactorAccount, TwoFactorRepository, TwoFactorRow } from './two-factor.repository.js'

/** How long the code step of a sign-in waits for its code. */
export const CHALLENGE_TTL_SECONDS = 5 * 60

/** A code from the authenticator app, or one of the recovery codes. */
export interface TwoFactorProof {
  code?: string
  recovery_code?: string
}

export interface SignInChallenge {
  challenge_id: string
  expires_at: Date
}

export interface TwoFactorDeps {
  db: Database
  repo: TwoFactorRepository
  identityRepo: IdentityRepository
  throttleRepo: SignInThrottleRepository
  clock: Clock
  /** Seals the TOTP secrets (PROTUS_SECRET_KEY). */
  key: Buffer
}

const invalidCode = () =>
  new DomainError('two_factor_code_invalid', 'the code is wrong, too old or already used')

const digestOf = (recoveryCode: string) =>
  sha256(`recovery\n${normalRecoveryCode(recoveryCode)}`).toString('hex')

function oneProof(proof: TwoFactorProof): TwoFactorProof {
  if ((proof.code === undefined) === (proof.recovery_code === undefined))
    throw new DomainError('validation_failed', 'send either code or recovery_code')
  return proof
}

/**
 * TOTP two-factor sign-in for people and companies: enrolment, recovery codes, the code step of a
 * sign-in, and the company's rule that secret rotation needs a code. Code guesses are slowed like
 * password guesses (same counts, per account and per client address).
 */
export function createTwoFactorService(deps: TwoFactorDeps) {
  const { db, repo, clock } = deps
  const secretOf = (row: TwoFactorRow) => unseal(deps.key, Buffer.from(row.secret_sealed, 'base64'))

  /** Counts a guess before it is checked, so that a parallel burst is counted in full. */
  async function countGuess(account: TwoFactorAccount, ip: string): Promise<string[]> {
    const now = clock.now()
    const keys = [
      {
        digest: sha256(`two-factor\n${account.kind}\n${account.id}`).toString('hex'),
        scope: 'email' as const,
      },
      { digest: sha256(`address\n${addressKey(ip)}`).toString('hex'), scope: 'address' as const },
    ]
    const counts = await deps.throttleRepo.countAttempt(db, keys, now, {
      free: SIGN_IN_LIMITS.free,
      maxWaitSeconds: SIGN_IN_LIMITS.maxWaitSeconds,
      quietSince: new Date(now.getTime() - SIGN_IN_LIMITS.quietResetSeconds * 1000),
    })
    const waits = counts
      .filter((c) => !c.let_through && c.blocked_until)
      .map((c) => (c.blocked_until as Date).getTime() - now.getTime())
    if (waits.length > 0) {
      const retryAfter = Math.max(1, Math.ceil(Math.max(...waits) / 1000))
      throw new DomainError('too_many_attempts', `try again in ${retryAfter} s`, {
        headers: { 'retry-after': String(retryAfter) },
      })
    }
    return keys.map((k) => k.digest)
  }

  /** Whether `proof` is good for the account now; a good code or recovery code is used up. */
  async function accepts(tx: Queryable, account: TwoFactorAccount, row: TwoFactorRow, proof: TwoFactorProof) {
    const now = clock.now()
    if (proof.recovery_code !== undefined)
      return repo.useRecoveryCode(tx, account, digestOf(proof.recovery_code), now)
    const step = matchingStep(secretOf(row), proof.code ?? '', now)
    return step !== undefined && repo.takeStep(tx, account, step)
  }

  /**
   * Runs `then` in the transaction that uses up the proof, after counting the guess; a wrong proof
   * changes nothing but the count.
   */
  async function withProof<T>(
    account: TwoFactorAccount,
    proof: TwoFactorProof,
    ip: string,
    then: (tx: Queryable, row: TwoFactorRow) => Promise<T>,
  ): Promise<T> {
    const counted = await countGuess(account, ip)
    const result = await db.transaction(async (tx) => {
      const row = await repo.find(tx, account)
      if (!row?.enabled_at) throw new DomainError('two_factor_not_enabled', 'two-factor sign-in is off')
      if (!(await accepts(tx, account, row, proof))) throw invalidCode()
      return then(tx, row)
    })
    await deps.throttleRepo.uncountAttempt(db, counted, SIGN_IN_LIMITS.free)
    return result
  }

  async function emailOf(account: TwoFactorAccount): Promise<string> {
    const row =
      account.kind === 'customer'
        ? await deps.identityRepo.findCustomer(db, { id: account.id })
        : await deps.identityRepo.findCompany(db, { id: account.id })
    if (!row) throw new DomainError('not_found', 'no such account')
    return row.email
  }

  async function status(account: TwoFactorAccount) {
    const row = await repo.find(db, account)
    return {
      enabled: Boolean(row?.enabled_at),
      recovery_codes_left: row?.enabled_at ? row.recovery_codes_left : 0,
      required_for_secret_rotation: Boolean(row?.enabled_at && row.required_for_secret_rotation),
    }
  }

  return {
    status,

    /** A new secret waiting for its first code; until then two-factor stays off. */
    async enrol(account: TwoFactorAccount) {
      const secret = newTotpSecret()
      const sealed = seal(deps.key, secret).toString('base64')
      if (!(await repo.startEnrolment(db, account, sealed, clock.now())))
        throw new DomainError('two_factor_already_enabled', 'turn two-factor off before enrolling again')
      const { uri, qr } = await enrolmentUri(secret, await emailOf(account))
      return { secret, otpauth_uri: uri, qr_code: qr }
    },

    /** The first code turns two-factor on; answers the recovery codes, which are not shown again. */
    async confirm(account: TwoFactorAccount, code: string, ip: string) {
      const counted = await countGuess(account, ip)
      const codes = newRecoveryCodes()
      await db.transaction(async (tx) => {
        const row = await repo.find(tx, account)
        if (!row) throw new DomainError('two_factor_not_enrolled', 'start the enrolment first')
        if (row.enabled_at) throw new DomainError('two_factor_already_enabled', 'two-factor is already on')
        if (!(await accepts(tx, account, row, { code }))) throw invalidCode()
        if (!(await repo.enable(tx, account, codes.map(digestOf), clock.now())))
          throw new DomainError('two_factor_already_enabled', 'two-factor is already on')
      })
      await deps.throttleRepo.uncountAttempt(db, counted, SIGN_IN_LIMITS.free)
      return { recovery_codes: codes }
    },

    /** Turns two-factor off (and with it a company's rule for secret rotation); needs a code. */
    async disable(account: TwoFactorAccount, proof: TwoFactorProof, ip: string): Promise<void> {
      await withProof(account, oneProof(proof), ip, (tx) => repo.remove(tx, account))
    },

    async setRequiredForSecretRotation(
      companyId: string,
      required: boolean,
      proof: TwoFactorProof,
      ip: string,
    ) {
      const account = { kind: 'company' as const, id: companyId }
      await withProof(account, oneProof(proof), ip, (tx) =>
        repo.setRequiredForSecretRotation(tx, companyId, required),
      )
      return status(account)
    },

    /** Lets a secret rotation go on: with no rule, at once; under the rule, with a good code. */
    async guardSecretRotation(companyId: string, proof: TwoFactorProof, ip: string): Promise<void> {
      const account = { kind: 'company' as const, id: companyId }
      const row = await repo.find(db, account)
      if (!row?.enabled_at || !row.required_for_secret_rotation) return
      if (proof.code === undefined && proof.recovery_code === undefined)
        throw new DomainError(
          'two_factor_required',
          'this company rotates secrets only with a two-factor code',
        )
      await withProof(account, oneProof(proof), ip, async () => {})
    },

    /** After the password: a challenge when the account has two-factor on, else nothing. */
    async challenge(account: TwoFactorAccount): Promise<SignInChallenge | undefined> {
      const row = await repo.find(db, account)
      if (!row?.enabled_at) return undefined
      const now = clock.now()
      const id = randomToken(32, 'tfc_')
      const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000)
      await repo.insertChallenge(db, {
        id_digest: sha256(id).toString('hex'),
        account,
        created_at: now,
        expires_at: expiresAt,
      })
      return { challenge_id: id, expires_at: expiresAt }
    },

    /** The account whose sign-in challenge `proof` answers; the challenge is used up with it. */
    async answer(input: { challengeId: string; ip: string } & TwoFactorProof): Promise<TwoFactorAccount> {
      const digest = sha256(input.challengeId).toString('hex')
      const expired = () =>
        new DomainError('sign_in_challenge_invalid', 'the code step expired: sign in again')
      const account = await repo.findChallenge(db, digest, clock.now())
      if (!account) throw expired()
      await withProof(account, oneProof(input), input.ip, async (tx) => {
        if (!(await repo.deleteChallenge(tx, digest))) throw expired()
      })
      return account
    },

    /** Retention: drops at most `limit` challenges expired at `now`. */
    pruneChallenges: (now: Date, limit: number) => repo.pruneChallenges(db, now, limit),
  }
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>
