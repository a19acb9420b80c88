import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DivergenceChecker } from '../../checkers/divergence-checker.js'
import type { Op } from '../../core/history/op.js'
import { HistoryBuilder } from './history-builder.js'

const check = (ops: readonly Op[]) => new DivergenceChecker().check(ops, {})

/** Final states of a primary and one replica, each a list of [key, value] registers. */
function states(primary: unknown[], replica: unknown[]): Op[] {
  const h = new HistoryBuilder()
  h.finalRead(0, 'n1', 'primary', primary)
  h.finalRead(1, 'n2', 'replica', replica)
  return h.ops()
}

describe('divergence by contents, not counts', () => {
  it('finds two states of the same size that hold different values, and names the keys', () => {
    const result = check(
      states(
        [
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ],
        [
          ['a', 1],
          ['b', 5],
          ['c', 3],
        ],
      ),
    )
    expect(result.valid).toBe(false)
    expect(result.anomalies).toHaveLength(1)
    expect(result.anomalies[0]?.message).toContain('1 key(s) hold different values')
    expect(result.anomalies[0]?.evidence).toMatchObject({
      node: 'n2',
      reference: 'n1',
      missing: [['b', 2]],
      extra: [['b', 5]],
      missingCount: 1,
      extraCount: 1,
      differingKeys: ['b'],
      differingKeyCount: 1,
    })
    expect(result.stats['nodes']).toEqual({ n1: 3, n2: 3 })
  })

  it('near miss: the same registers listed in another order converged', () => {
    const result = check(
      states(
        [
          ['a', 1],
          ['b', { x: [1, 2] }],
        ],
        [
          ['b', { x: [1, 2] }],
          ['a', 1],
        ],
      ),
    )
    expect(result.valid).toBe(true)
    expect(result.anomalies).toEqual([])
  })

  it('a register only one node holds is missing or extra, not a differing value', () => {
    const result = check(
      states(
        [
          ['a', 1],
          ['b', 2],
        ],
        [['a', 1]],
      ),
    )
    expect(result.anomalies[0]?.evidence).toMatchObject({
      missing: [['b', 2]],
      differingKeys: [],
      differingKeyCount: 0,
    })
    expect(result.anomalies[0]?.message).not.toContain('hold different values')
  })

  it('states that are not [key, value] pairs carry no key evidence', () => {
    const result = check(states([1, 2, 3], [1, 2, 4]))
    expect(result.valid).toBe(false)
    expect(result.anomalies[0]?.evidence).not.toHaveProperty('differingKeys')
  })

  it('elements compare as JSON: the number 1 and the text "1" differ, 0 and -0 are one element', () => {
    const result = check(states([1, 2, 3], ['1', 2, 3]))
    expect(result.valid).toBe(false)
    expect(result.anomalies[0]?.evidence).toMatchObject({ missing: [1], extra: ['1'], missingCount: 1 })
    expect(check(states([0, 1.5, 2e21], [-0, 1.5, 2e21])).valid).toBe(true)
  })

  it('any one register changed is found, and only that key is named; unchanged states converge', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer(), { minKeys: 1, maxKeys: 30 }),
        fc.nat(),
        fc.integer(),
        (registers, pick, delta) => {
          const pairs = Object.entries(registers)
          expect(check(states(pairs, [...pairs].reverse())).valid).toBe(true)
          const [key, value] = pairs[pick % pairs.length] as [string, number]
          const changed = pairs.map(([k, v]) => [k, k === key ? value + (delta === 0 ? 1 : delta) : v])
          const result = check(states(pairs, changed))
          expect(result.valid).toBe(false)
          expect(result.anomalies[0]?.evidence).toMatchObject({ differingKeys: [key], differingKeyCount: 1 })
        },
      ),
    )
  })
})
