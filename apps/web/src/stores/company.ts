import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchCompany, rotateSecret, updateCompany } from '../api/company.ts'
import type { TwoFactorProof } from '../api/two-factor.ts'
import type { Company, RotatedSecret, SecretKind } from '../api/types.ts'

/** The signed-in company's settings: client id, secret hints, redirect URIs, webhook URL. */
export const useCompanyStore = defineStore('company', () => {
  const company = ref<Company | null>(null)
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      company.value = await fetchCompany()
    } finally {
      loading.value = false
    }
  }

  async function saveRedirectUris(redirectUris: string[]): Promise<void> {
    company.value = await updateCompany({ redirect_uris: redirectUris })
  }

  async function saveWebhookUrl(webhookUrl: string | null): Promise<void> {
    company.value = await updateCompany({ webhook_url: webhookUrl })
  }

  /**
   * Returns the new secret, which is never available again; the hints are reloaded. The secret it
   * replaces works `previousExpiresIn` seconds more (0: not at all).
   */
  async function rotate(
    kind: SecretKind,
    previousExpiresIn: number,
    proof?: TwoFactorProof,
  ): Promise<RotatedSecret> {
    const rotated = await rotateSecret(kind, {
      previous_expires_in: previousExpiresIn,
      // Under the company's rule for rotation, a two-factor code goes with it.
      two_factor_code: proof && 'code' in proof ? proof.code : undefined,
      two_factor_recovery_code: proof && 'recovery_code' in proof ? proof.recovery_code : undefined,
    })
    await load().catch(() => undefined)
    return rotated
  }

  function reset(): void {
    company.value = null
  }

  return { company, loading, load, saveRedirectUris, saveWebhookUrl, rotate, reset }
})
