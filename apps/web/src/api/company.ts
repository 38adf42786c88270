import { http } from './http.ts'
import type { Company, CompanyUpdate, RotatedSecret, RotateSecretOptions, SecretKind } from './types.ts'

export function fetchCompany(): Promise<Company> {
  return http.get('/v1/company')
}

export function updateCompany(update: CompanyUpdate): Promise<Company> {
  return http.patch('/v1/company', update)
}

type RotateResponse = { previous_expires_at: string } & Partial<Record<SecretKind, string>>

/** A new secret of `kind`; the one it replaces works for `previous_expires_in` seconds more. */
export async function rotateSecret(kind: SecretKind, options: RotateSecretOptions): Promise<RotatedSecret> {
  const response = await http.post<RotateResponse>(`/v1/company/secrets/${kind}/rotate`, options)
  return { secret: response[kind] ?? '', previous_expires_at: response.previous_expires_at }
}
