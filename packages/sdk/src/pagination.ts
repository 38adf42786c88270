import type { Page, PageParams } from './types.js'

/** How many items {@link ListPromise.autoPagingToArray} collects at most. */
export interface AutoPagingToArrayOptions {
  /** The upper bound (a positive integer); the list may hold more, they are not fetched. */
  limit: number
}

/**
 * What a `list()` call answers: a promise of its first page (`{ data, has_more }`) that is also
 * async-iterable over every item of every page. Iterating fetches the next page (with
 * `starting_after` set to the last item's id) only when the items already fetched are used up,
 * stops on `has_more: false`, throws what a page request throws, and fetches nothing more after a
 * `break`.
 *
 * @example
 * ```ts
 * const { data, has_more } = await protus.charges.list({ limit: 50 })
 * for await (const charge of protus.charges.list({ service: 'svc_…' })) {
 *   if (charge.amount > 100_000) break
 * }
 * const recent = await protus.refunds.list({ account: 'acct_…' }).autoPagingToArray({ limit: 500 })
 * ```
 */
export interface ListPromise<T> extends Promise<Page<T>>, AsyncIterable<T> {
  /** Every item in list order, up to `limit` of them; fetches no page beyond the one that fills it. */
  autoPagingToArray(options: AutoPagingToArrayOptions): Promise<T[]>
}

/**
 * Asks for the first page at once and for every next one as iteration reaches it, with the same
 * filters and `starting_after` the last id seen.
 */
export function listPages<T extends { id: string }, P extends PageParams>(
  fetchPage: (params: P) => Promise<Page<T>>,
  params: P,
): ListPromise<T> {
  const first = fetchPage(params)

  async function* items(): AsyncGenerator<T, void, undefined> {
    let page = await first
    for (;;) {
      yield* page.data
      const last = page.data.at(-1)
      // An empty page that claims more would send the same cursor forever.
      if (!page.has_more || last === undefined) return
      page = await fetchPage({ ...params, starting_after: last.id })
    }
  }

  async function autoPagingToArray({ limit }: AutoPagingToArrayOptions): Promise<T[]> {
    if (!(Number.isSafeInteger(limit) && limit > 0)) {
      throw new TypeError(`limit must be a positive integer, got ${String(limit)}`)
    }
    const out: T[] = []
    for await (const item of items()) {
      out.push(item)
      if (out.length >= limit) break
    }
    return out
  }

  return Object.assign(first, { [Symbol.asyncIterator]: items, autoPagingToArray })
}
