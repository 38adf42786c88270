// The top-up a person left for the payment page, so the wallet can tell how it ended when they
// come back (the payment page links back to /wallet without saying which top-up it was).
// Kept for this tab only; an id is no secret, and without storage the wallet still shows the balance.

const KEY = 'protus.topUp'

export function rememberTopUp(id: string): void {
  try {
    sessionStorage.setItem(KEY, id)
  } catch {
    // Storage disabled: the balance still tells the story.
  }
}

export function recallTopUp(): string | null {
  try {
    return sessionStorage.getItem(KEY)
  } catch {
    return null
  }
}

export function forgetTopUp(): void {
  try {
    sessionStorage.removeItem(KEY)
  } catch {
    // Nothing was kept.
  }
}
