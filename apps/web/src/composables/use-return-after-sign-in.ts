import { computed, ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import type { AccountKind } from '../api/types.ts'
import { isServerPath, returnPath, safeRedirect } from '../plugins/route-access.ts'

/**
 * The way back after signing in or registering: to the page that asked for it (`?redirect=`),
 * which may be the server's authorization endpoint, or else home.
 */
export function useReturnAfterSignIn() {
  const route = useRoute()
  const router = useRouter()
  /** Set once a full page load is under way, so the button stays busy until the page goes. */
  const leaving = ref(false)

  /** The part of the query to keep when going from sign-in to register and back. */
  const carried = computed((): Record<string, string> => {
    const redirect = safeRedirect(route.query.redirect)
    return redirect ? { redirect } : {}
  })

  /** Signing in as a person is a step on the way to a partner's site (Sign in with PROTUS). */
  const forPartner = computed(
    () => route.query.kind === 'customer' && isServerPath(carried.value.redirect ?? ''),
  )

  async function goOn(kind: AccountKind): Promise<void> {
    const target = returnPath(route.query, kind)
    if (isServerPath(target)) {
      leaving.value = true
      window.location.assign(target)
      return
    }
    await router.replace(target)
  }

  return { carried, forPartner, leaving, goOn }
}
