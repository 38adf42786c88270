import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listGrants, revokeGrant, updateGrantLimit } from '../api/oauth.ts'
import { listPartnerAccounts } from '../api/wallet.ts'
import { type Connections, joinConnections, withGrant, withoutGrant } from './connections-join.ts'

const none = (): Connections => ({ connected: [], former: [] })

/** The partners the signed-in person connected, now or before: what each may do and spent, its limit; revoking access. */
export const useConnectionsStore = defineStore('connections', () => {
  const connections = ref<Connections>(none())
  const loaded = ref(false)

  async function load(): Promise<void> {
    const [grants, accounts] = await Promise.all([listGrants(), listPartnerAccounts()])
    connections.value = joinConnections(grants.data, accounts.data)
    loaded.value = true
  }

  /** Takes `clientId`'s access away; the partner moves to the former ones once the server has done so. */
  async function revoke(clientId: string): Promise<void> {
    await revokeGrant(clientId)
    connections.value = withoutGrant(connections.value, clientId, new Date().toISOString())
  }

  /** Sets, changes or (with null) removes `clientId`'s monthly limit, in minor units. */
  async function setLimit(clientId: string, monthlyLimit: number | null): Promise<void> {
    const grant = await updateGrantLimit(clientId, { monthly_limit: monthlyLimit })
    connections.value = withGrant(connections.value, grant)
  }

  function reset(): void {
    connections.value = none()
    loaded.value = false
  }

  return { connections, loaded, load, revoke, setLimit, reset }
})
