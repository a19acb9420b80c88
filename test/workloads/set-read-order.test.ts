import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ascending } from '../../workloads/set-workload.js'

const numericSort = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b)

/** Rows in commit order: ascending elements, each swapped with a near neighbour now and then. */
const commitOrder = fc
  .record({
    length: fc.integer({ min: 0, max: 1000 }),
    swaps: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })), { maxLength: 60 }),
  })
  .map(({ length, swaps }) => {
    const rows = Array.from({ length }, (_, i) => i * 3)
    for (const [at, distance] of swaps) {
      if (length < 2) break
      const i = at % length
      const j = Math.min(length - 1, i + distance)
      ;[rows[i], rows[j]] = [rows[j] as number, rows[i] as number]
    }
    return rows
  })

describe('a set read in ascending order (ascending)', () => {
  it('sorts rows a few places out of commit order, in place', () => {
    fc.assert(
      fc.property(commitOrder, (rows) => {
        const expected = numericSort(rows)
        const result = ascending(rows)
        expect(result).toBe(rows)
        expect(result).toEqual(expected)
      }),
    )
  })

  it('sorts any integers, far out of order too (the fallback to a full sort), duplicates and negatives included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 5000 }), { maxLength: 400 }), (values) => {
        expect(ascending([...values])).toEqual(numericSort(values))
      }),
    )
  })

  it('orders numerically, not as text, on both paths', () => {
    expect(ascending([10, 9, 100, 2])).toEqual([2, 9, 10, 100])
    const reversed = Array.from({ length: 300 }, (_, i) => 300 - i)
    expect(ascending(reversed)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
  })

  it('leaves an empty read, a single element and an ordered read as they are', () => {
    expect(ascending([])).toEqual([])
    expect(ascending([7])).toEqual([7])
    expect(ascending([1, 2, 2, 3])).toEqual([1, 2, 2, 3])
  })
})
