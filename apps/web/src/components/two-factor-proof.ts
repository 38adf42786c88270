import type { TwoFactorProof } from '../api/two-factor.ts'

/** What a code field holds, as the API takes it: digits without spaces, or a recovery code. */
export const proofOf = (typed: string, recovery: boolean): TwoFactorProof =>
  recovery ? { recovery_code: typed.trim() } : { code: typed.replace(/\s/g, '') }
