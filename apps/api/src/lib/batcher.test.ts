import { describe, expect, it } from 'vitest'
import { createBatcher } from './batcher.js'

describe('createBatcher', () => {
  it('gathers items submitted together into one batch and answers each in order', async () => {
    const batches: number[][] = []
    const batcher = createBatcher<number, number>({
      maxBatch: 10,
      maxInFlight: 1,
      run: async (items) => {
        batches.push(items)
        return items.map((i) => i * 2)
      },
    })
    const results = await Promise.all([1, 2, 3].map((i) => batcher.submit(i)))
    expect(results).toEqual([2, 4, 6])
    expect(batches).toEqual([[1, 2, 3]])
  })

  it('forms the next batch while one runs, capped at maxBatch', async () => {
    const batches: number[][] = []
    let release: () => void = () => {}
    const gate = new Promise<void>((r) => {
      release = r
    })
    const batcher = createBatcher<number, number>({
      maxBatch: 2,
      maxInFlight: 1,
      run: async (items) => {
        batches.push(items)
        if (batches.length === 1) await gate
        return items
      },
    })
    const first = batcher.submit(0)
    await new Promise((r) => setImmediate(r))
    const rest = [1, 2, 3].map((i) => batcher.submit(i))
    release()
    await Promise.all([first, ...rest])
    expect(batches).toEqual([[0], [1, 2], [3]])
  })

  it('retries a batch that hit a deadlock and isolates an item that fails alone', async () => {
    let calls = 0
    const batcher = createBatcher<number, number>({
      maxBatch: 10,
      maxInFlight: 1,
      run: async (items) => {
        calls++
        if (calls === 1) throw Object.assign(new Error('deadlock'), { code: '40P01' })
        if (items.includes(2)) throw new Error('bad item')
        return items
      },
    })
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => batcher.submit(i)))
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
  })
})
