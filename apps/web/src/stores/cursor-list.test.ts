import { describe, expect, it } from 'vitest'
import type { Page } from '../api/types.ts'
import { createCursorList } from './cursor-list.ts'

interface Row {
  id: string
}

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

const page = (ids: string[], hasMore: boolean): Page<Row> => ({
  data: ids.map((id) => ({ id })),
  has_more: hasMore,
})

describe('createCursorList', () => {
  it('appends the next page after the last item', async () => {
    const asked: (string | undefined)[] = []
    const list = createCursorList<Row>(
      async (after) => {
        asked.push(after)
        return after ? page(['c'], false) : page(['a', 'b'], true)
      },
      (row) => row.id,
    )
    await list.load()
    expect(list.items.map((r) => r.id)).toEqual(['a', 'b'])
    expect(list.hasMore).toBe(true)
    await list.loadMore()
    expect(list.items.map((r) => r.id)).toEqual(['a', 'b', 'c'])
    expect(list.hasMore).toBe(false)
    expect(asked).toEqual([undefined, 'b'])
  })

  it('drops the late answer of a request made before a reset', async () => {
    const slow = deferred<Page<Row>>()
    const list = createCursorList<Row>(
      () => slow.promise,
      (row) => row.id,
    )
    const loading = list.load()
    list.reset()
    slow.resolve(page(['other-account'], true))
    await loading
    expect(list.items).toEqual([])
    expect(list.loaded).toBe(false)
    expect(list.loading).toBe(false)
  })

  it('puts a newer copy of an item in its place and a new one on top', async () => {
    type Versioned = Row & { version: number }
    const list = createCursorList<Versioned>(
      async () => ({
        data: [
          { id: 'b', version: 1 },
          { id: 'a', version: 1 },
        ],
        has_more: false,
      }),
      (row) => row.id,
    )
    await list.load()
    expect(list.replace({ id: 'a', version: 2 })).toBe(true)
    expect(list.replace({ id: 'z', version: 1 })).toBe(false)
    list.prepend({ id: 'c', version: 1 })
    list.prepend({ id: 'b', version: 2 })
    expect(list.items).toEqual([
      { id: 'b', version: 2 },
      { id: 'c', version: 1 },
      { id: 'a', version: 2 },
    ])
  })
})
