import type { Grant, PartnerAccount } from '../api/types.ts'

/** A partner the person allowed to act for them, with their account there when it is known. */
export interface Connection {
  grant: Grant
  account: PartnerAccount | null
}

export interface Connections {
  /** Partners with access now. */
  connected: Connection[]
  /** Accounts at partners whose access was revoked: their spending and holds stay visible. */
  former: PartnerAccount[]
}

/** Pairs each grant with the person's account at that partner; accounts left over are former. */
export function joinConnections(grants: readonly Grant[], accounts: readonly PartnerAccount[]): Connections {
  const byId = new Map(accounts.map((account) => [account.id, account]))
  const granted = new Set(grants.map((grant) => grant.account_id))
  return {
    connected: grants.map((grant) => ({ grant, account: byId.get(grant.account_id) ?? null })),
    former: accounts.filter((account) => !granted.has(account.id)),
  }
}

/** The connections after `clientId` lost its access: its account, if any, becomes former. */
export function withoutGrant(current: Connections, clientId: string): Connections {
  const gone = current.connected.find((connection) => connection.grant.client_id === clientId)
  if (!gone) return current
  return {
    connected: current.connected.filter((connection) => connection !== gone),
    former: gone.account ? [gone.account, ...current.former] : current.former,
  }
}

/** The connections with `grant` in place of the one for the same partner (after its limit changed). */
export function withGrant(current: Connections, grant: Grant): Connections {
  return {
    ...current,
    connected: current.connected.map((connection) =>
      connection.grant.client_id === grant.client_id ? { ...connection, grant } : connection,
    ),
  }
}
