import { describe, expect, it } from 'vitest'
import { listPages } from './pagination.js'
import type { Page, PageParams } from './types.js'

interface Item {
  id: string
}

type Params = PageParams & { service?: string }

/** A list of `pages` served a page at a time, recording the parameters of every request. */
function pagedList(pages: (Item[] | Error)[]) {
  const requests: Params[] = []
  const fetchPage = async (params: Params): Promise<Page<Item>> => {
    requests.push(params)
    const index = requests.length - 1
    const page = pages[index]
    if (page === undefined) throw new Error(`page ${index + 1} was never meant to be asked for`)
    if (page instanceof Error) throw page
    return { data: page, has_more: index < pages.length - 1 }
  }
  return { fetchPage, requests }
}

const items = (...ids: string[]) => ids.map((id) => ({ id }))

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}

describe('auto-pagination', () => {
  it('iterates every item of three pages with three requests, each after the last id seen', async () => {
    const { fetchPage, requests } = pagedList([items('ch_5', 'ch_4'), items('ch_3', 'ch_2'), items('ch_1')])
    const seen = await collect(listPages(fetchPage, { service: 'svc_1', limit: 2 }))
    expect(seen.map((c) => c.id)).toEqual(['ch_5', 'ch_4', 'ch_3', 'ch_2', 'ch_1'])
    expect(requests).toEqual([
      { service: 'svc_1', limit: 2 },
      { service: 'svc_1', limit: 2, starting_after: 'ch_4' },
      { service: 'svc_1', limit: 2, starting_after: 'ch_2' },
    ])
  })

  it('asks for the next page only when the consumer has used up the one it has', async () => {
    const { fetchPage, requests } = pagedList([items('ch_3', 'ch_2'), items('ch_1')])
    const iterator = listPages(fetchPage, {})[Symbol.asyncIterator]()
    expect((await iterator.next()).value).toEqual({ id: 'ch_3' })
    expect((await iterator.next()).value).toEqual({ id: 'ch_2' })
    expect(requests).toHaveLength(1)
    expect((await iterator.next()).value).toEqual({ id: 'ch_1' })
    expect(requests).toHaveLength(2)
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
    expect(requests).toHaveLength(2)
  })

  it('fetches one page only when the loop breaks after the first item', async () => {
    const { fetchPage, requests } = pagedList([items('ch_2'), items('ch_1')])
    for await (const item of listPages(fetchPage, {})) {
      expect(item.id).toBe('ch_2')
      break
    }
    expect(requests).toHaveLength(1)
  })

  it('rejects the iteration with the error of page 2, after the items of page 1', async () => {
    const failure = new Error('page 2 failed')
    const { fetchPage, requests } = pagedList([items('ch_3', 'ch_2'), failure, items('ch_1')])
    const seen: string[] = []
    const iterating = (async () => {
      for await (const item of listPages(fetchPage, {})) seen.push(item.id)
    })()
    await expect(iterating).rejects.toBe(failure)
    expect(seen).toEqual(['ch_3', 'ch_2'])
    expect(requests).toHaveLength(2)
  })

  it('answers the first page when awaited, and iterating afterwards does not ask for it again', async () => {
    const { fetchPage, requests } = pagedList([items('ch_2'), items('ch_1')])
    const list = listPages(fetchPage, { limit: 1 })
    expect(await list).toEqual({ data: [{ id: 'ch_2' }], has_more: true })
    expect((await collect(list)).map((c) => c.id)).toEqual(['ch_2', 'ch_1'])
    expect(requests).toEqual([{ limit: 1 }, { limit: 1, starting_after: 'ch_2' }])
  })

  it('stops at an empty page even if it claims more, instead of asking for the same page forever', async () => {
    let requests = 0
    const fetchPage = async (): Promise<Page<Item>> => {
      requests++
      return { data: [], has_more: true }
    }
    expect(await collect(listPages(fetchPage, {}))).toEqual([])
    expect(requests).toBe(1)
  })
})

describe('autoPagingToArray', () => {
  it('collects up to its limit and fetches no page beyond the one that fills it', async () => {
    const { fetchPage, requests } = pagedList([items('ch_5', 'ch_4'), items('ch_3', 'ch_2'), items('ch_1')])
    const three = await listPages(fetchPage, { limit: 2 }).autoPagingToArray({ limit: 3 })
    expect(three.map((c) => c.id)).toEqual(['ch_5', 'ch_4', 'ch_3'])
    expect(requests).toHaveLength(2)
  })

  it('answers every item when the list is shorter than the limit', async () => {
    const { fetchPage } = pagedList([items('ch_2'), items('ch_1')])
    const all = await listPages(fetchPage, {}).autoPagingToArray({ limit: 10_000 })
    expect(all.map((c) => c.id)).toEqual(['ch_2', 'ch_1'])
  })

  it('refuses a limit that is not a positive integer', async () => {
    for (const limit of [0, -1, 1.5, Number.POSITIVE_INFINITY, Number.NaN]) {
      const { fetchPage } = pagedList([items('ch_1')])
      await expect(listPages(fetchPage, {}).autoPagingToArray({ limit })).rejects.toThrow(TypeError)
    }
  })

  it('rejects with the error of a page it needed', async () => {
    const failure = new Error('page 2 failed')
    const { fetchPage } = pagedList([items('ch_2'), failure])
    await expect(listPages(fetchPage, {}).autoPagingToArray({ limit: 5 })).rejects.toBe(failure)
  })
})
