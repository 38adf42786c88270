import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError } from '../api/http.ts'
import {
  type CompanyRegistration,
  type Credentials,
  type CustomerRegistration,
  createSession,
  deleteSession,
  fetchMe,
  registerCompany as postCompany,
  registerCustomer as postCustomer,
} from '../api/identity.ts'
import { answerChallenge, isChallenge, type SignInChallenge, type TwoFactorProof } from '../api/two-factor.ts'
import type { CompanyCreated, Customer, Me } from '../api/types.ts'
import { useAccountsStore } from './accounts.ts'
import { useBalanceStore } from './balance.ts'
import { useCompanyStore } from './company.ts'
import { useConnectionsStore } from './connections.ts'
import { useConsentStore } from './consent.ts'
import { useMySubscriptionsStore } from './my-subscriptions.ts'
import { useOperationsStore } from './operations.ts'
import { useOverviewStore } from './overview.ts'
import { usePayoutsStore } from './payouts.ts'
import { useServiceNamesStore } from './service-names.ts'
import { useServicesStore } from './services.ts'
import { useSubscriptionCountsStore } from './subscription-counts.ts'
import { useSubscriptionsStore } from './subscriptions.ts'
import { useWalletStore } from './wallet.ts'
import { useWebhooksStore } from './webhooks.ts'

/** Who is signed in. The session itself is an HttpOnly cookie; this mirrors GET /v1/me. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  let loading: Promise<void> | null = null

  const kind = computed(() => me.value?.kind ?? null)
  const displayName = computed(() => {
    if (!me.value) return ''
    return me.value.kind === 'company' ? me.value.name : me.value.username
  })

  /** Asks the server once per page load; later calls share the answer. */
  function ensureLoaded(): Promise<void> {
    loading ??= fetchMe().then(
      (current) => {
        me.value = current
      },
      (error: unknown) => {
        loading = null
        throw error
      },
    )
    return loading
  }

  function forget(): void {
    me.value = null
    useCompanyStore().reset()
    useServicesStore().reset()
    useServiceNamesStore().reset()
    useAccountsStore().reset()
    useWalletStore().reset()
    useConnectionsStore().reset()
    useConsentStore().reset()
    useWebhooksStore().reset()
    useSubscriptionsStore().reset()
    useSubscriptionCountsStore().reset()
    useMySubscriptionsStore().reset()
    useBalanceStore().reset()
    useOverviewStore().reset()
    useOperationsStore().reset()
    usePayoutsStore().reset()
  }

  /** Signs in; with two-factor on, answers the challenge for `completeSignIn` instead. */
  async function signIn(credentials: Credentials): Promise<Me | SignInChallenge> {
    const answer = await createSession(credentials)
    if (isChallenge(answer)) return answer
    return signedIn(answer)
  }

  /** The code step of a sign-in. */
  async function completeSignIn(challengeId: string, proof: TwoFactorProof): Promise<Me> {
    return signedIn(await answerChallenge(challengeId, proof))
  }

  function signedIn(current: Me): Me {
    if (me.value?.id !== current.id) forget()
    me.value = current
    loading = Promise.resolve()
    return current
  }

  async function signOut(): Promise<void> {
    try {
      await deleteSession()
    } catch (error) {
      // A session that already ended is as signed out as it gets.
      if (!(error instanceof ApiError && error.status === 401)) throw error
    }
    forget()
  }

  // Registering does not sign in: the caller signs in next, and a failure there (too many
  // attempts, say) must not look like a failed registration, since the account now exists.
  function registerCustomer(input: CustomerRegistration): Promise<Customer> {
    return postCustomer(input)
  }

  /** Registers a company; the answer holds its secrets, which are never available again. */
  function registerCompany(input: CompanyRegistration): Promise<CompanyCreated> {
    return postCompany(input)
  }

  return {
    me,
    kind,
    displayName,
    ensureLoaded,
    signIn,
    completeSignIn,
    signOut,
    forget,
    registerCustomer,
    registerCompany,
  }
})
