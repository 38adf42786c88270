import { shallowReactive } from 'vue'
import type { Page } from '../api/types.ts'

export interface CursorList<T> {
  readonly items: readonly T[]
  readonly hasMore: boolean
  readonly loading: boolean
  /** The first page has arrived (an empty list is then really empty). */
  readonly loaded: boolean
  /** Fetches the first page again. */
  load(): Promise<void>
  /** Appends the next page. */
  loadMore(): Promise<void>
  /** Puts a newer copy of an item in its place; false when the list does not hold it. */
  replace(item: T): boolean
  /** Adds an item created since the list was loaded at the top (lists run newest first). */
  prepend(item: T): void
  reset(): void
}

/**
 * A list the API hands out a page at a time (`{ data, has_more }`, the next page starting after
 * the last item). A reload or a reset wins over the late answer of an earlier request, so a list
 * never shows another account's rows.
 */
export function createCursorList<T>(
  fetchPage: (startingAfter?: string) => Promise<Page<T>>,
  cursorOf: (item: T) => string,
): CursorList<T> {
  const state = shallowReactive({ items: [] as T[], hasMore: false, loading: false, loaded: false })
  let generation = 0

  async function fetchInto(startingAfter?: string): Promise<void> {
    const mine = ++generation
    state.loading = true
    try {
      const page = await fetchPage(startingAfter)
      if (mine !== generation) return
      state.items = startingAfter ? [...state.items, ...page.data] : page.data
      state.hasMore = page.has_more
      state.loaded = true
    } finally {
      if (mine === generation) state.loading = false
    }
  }

  return Object.assign(state, {
    load: () => fetchInto(),
    loadMore() {
      const last = state.items.at(-1)
      return last === undefined || state.loading ? Promise.resolve() : fetchInto(cursorOf(last))
    },
    replace(item: T) {
      const cursor = cursorOf(item)
      const index = state.items.findIndex((held) => cursorOf(held) === cursor)
      if (index < 0) return false
      state.items = state.items.with(index, item)
      return true
    },
    prepend(item: T) {
      const cursor = cursorOf(item)
      state.items = [item, ...state.items.filter((held) => cursorOf(held) !== cursor)]
    },
    reset() {
      generation++
      Object.assign(state, { items: [], hasMore: false, loading: false, loaded: false })
    },
  })
}
