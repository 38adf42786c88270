import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchRevenue } from '../api/earnings.ts'
import { listCharges } from '../api/operations.ts'
import type { RevenueReport } from '../api/types.ts'
import {
  monthOf,
  type RevenueSpan,
  type RevenueWindow,
  revenueWindow,
} from '../composables/revenue-series.ts'
import { useBalanceStore } from './balance.ts'
import { createCursorList } from './cursor-list.ts'

export const LATEST_CHARGES = 5

/** What the company dashboard opens with: the balance, this month's revenue, the chart's and the latest payments. */
export const useOverviewStore = defineStore('overview', () => {
  const balance = useBalanceStore()
  const span = ref<RevenueSpan>('day')
  const chartWindow = ref<RevenueWindow | null>(null)
  /** The window's revenue step by step, and by service. */
  const series = ref<RevenueReport | null>(null)
  const services = ref<RevenueReport | null>(null)
  /** This calendar month (UTC) by month: one row per currency. */
  const month = ref<RevenueReport | null>(null)
  const latest = createCursorList(
    (startingAfter) => listCharges({ limit: LATEST_CHARGES, starting_after: startingAfter }),
    (charge) => charge.id,
  )
  let generation = 0

  /** The chart's window of `next` steps ending today; the answer of an older choice is dropped. */
  async function loadRevenue(next: RevenueSpan = span.value, now = new Date()): Promise<void> {
    const mine = ++generation
    span.value = next
    const chosen = revenueWindow(next, now)
    const [bySteps, byServices] = await Promise.all([
      fetchRevenue(next, chosen.range),
      fetchRevenue('service', chosen.range),
    ])
    if (mine !== generation) return
    chartWindow.value = chosen
    series.value = bySteps
    services.value = byServices
  }

  async function loadMonth(now = new Date()): Promise<void> {
    month.value = await fetchRevenue('month', monthOf(now))
  }

  /** Everything the page shows, at once. */
  async function load(now = new Date()): Promise<void> {
    await Promise.all([balance.load(), loadRevenue(span.value, now), loadMonth(now), latest.load()])
  }

  function reset(): void {
    generation++
    span.value = 'day'
    chartWindow.value = null
    series.value = null
    services.value = null
    month.value = null
    latest.reset()
  }

  return { span, chartWindow, series, services, month, latest, load, loadRevenue, loadMonth, reset }
})
