import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ddmin } from '../../../harness/scenarios/shrink.js'

describe('ddmin (delta debugging)', () => {
  it('finds exactly the elements a failure needs when it needs all of them (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 30 }),
        fc.func(fc.boolean()),
        async (items, chosen) => {
          const needed = items.filter((x) => chosen(x))
          let tries = 0
          const failing = async (subset: number[]): Promise<boolean> => {
            tries++
            return needed.every((x) => subset.includes(x))
          }
          const kept = await ddmin(items, failing)
          expect(kept).toEqual(needed)
          // Far fewer tries than the 2^n subsets.
          expect(tries).toBeLessThanOrEqual(Math.max(4, items.length * items.length * 2))
        },
      ),
    )
  })

  it('keeps the order of what it keeps, and gives up early when told to stop', async () => {
    const kept = await ddmin(['a', 'b', 'c', 'd'], async (s) => s.includes('b') && s.includes('d'))
    expect(kept).toEqual(['b', 'd'])
    const stopped = await ddmin(
      [1, 2, 3, 4],
      async () => true,
      () => true,
    )
    expect(stopped).toEqual([1, 2, 3, 4])
  })
})
