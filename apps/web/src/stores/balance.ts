import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchBalance } from '../api/earnings.ts'
import type { PartnerBalance } from '../api/types.ts'

/** The signed-in company's balance: what it may ask to be paid out, what is on its way, what was paid. */
export const useBalanceStore = defineStore('companyBalance', () => {
  const balance = ref<PartnerBalance | null>(null)
  let generation = 0

  /** Asks again; a reset on the way (sign-out) wins over the late answer. */
  async function load(): Promise<void> {
    const mine = ++generation
    const current = await fetchBalance()
    if (mine === generation) balance.value = current
  }

  function reset(): void {
    generation++
    balance.value = null
  }

  return { balance, load, reset }
})
