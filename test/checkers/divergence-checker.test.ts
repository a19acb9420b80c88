import { describe, it, expect } from 'vitest'
import { DivergenceChecker } from '../../checkers/divergence-checker.js'
import type { Op } from '../../core/history/op.js'
import { HistoryBuilder } from './history-builder.js'

const check = (ops: readonly Op[]) => new DivergenceChecker().check(ops, {})

describe('DivergenceChecker', () => {
  it('passes when every node converged', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.read(0, [9], { node: 'n3' }) // not final: ignored
    h.finalRead(1, 'n1', 'primary', [1, 2])
    h.finalRead(2, 'n2', 'replica', [2, 1])
    h.finalRead(3, 'n3', 'replica', [1, 2, 2])
    const result = check(h.ops())
    expect(result.valid).toBe(true)
    expect(result.anomalies).toEqual([])
    expect(result.stats).toMatchObject({ reference: 'n1', referenceSource: 'primary', nodes: { n1: 2, n2: 2, n3: 2 } })
  })

  it('reports missing and extra elements against the primary', () => {
    const h = new HistoryBuilder()
    h.finalRead(0, 'n2', 'replica', [1, 2, 3, 7])
    h.finalRead(1, 'n1', 'primary', [1, 2, 3, 4, 5])
    h.finalRead(2, 'n3', 'replica', [1, 2, 3, 4, 5])
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    expect(result.anomalies).toEqual([
      {
        kind: 'divergence',
        message: expect.stringContaining('n2'),
        evidence: { node: 'n2', reference: 'n1', missing: [4, 5], extra: [7], missingCount: 2, extraCount: 1 },
      },
    ])
    expect(result.stats['divergentNodes']).toEqual(['n2'])
  })

  it("cites the servers' errant transactions (the recovery op's `errant`) for a divergent node, and only for it", () => {
    const h = new HistoryBuilder()
    h.nemesis('recovery', {
      recovered: true,
      waitedNs: 1,
      lagging: {},
      errant: { n1: '3e11fa47-71ca-11e1-9e33-c80aa9429562:118-120', n3: 'ignored: n3 converged' },
    })
    h.finalRead(0, 'n2', 'primary', [1, 2])
    h.finalRead(1, 'n1', 'replica', [1, 2, 118])
    h.finalRead(2, 'n3', 'replica', [1, 2])
    const result = check(h.ops())
    expect(result.anomalies).toHaveLength(1)
    expect(result.anomalies[0]?.evidence).toMatchObject({
      node: 'n1',
      extra: [118],
      errantTransactions: '3e11fa47-71ca-11e1-9e33-c80aa9429562:118-120',
    })
  })

  it('has no errant evidence when the recovery op names none (near miss: a divergence all the same)', () => {
    const h = new HistoryBuilder()
    h.nemesis('recovery', { recovered: true, waitedNs: 1, lagging: {} })
    h.finalRead(0, 'n1', 'primary', [1, 2])
    h.finalRead(1, 'n2', 'replica', [1])
    const evidence = check(h.ops()).anomalies[0]?.evidence
    expect(evidence).toMatchObject({ node: 'n2', missing: [2] })
    expect(evidence).not.toHaveProperty('errantTransactions')
  })

  it('lists at most 20 differing elements but counts them all', () => {
    const many = Array.from({ length: 30 }, (_, i) => i)
    const h = new HistoryBuilder()
    h.finalRead(0, 'n1', 'primary', many)
    h.finalRead(1, 'n2', 'replica', [])
    const evidence = check(h.ops()).anomalies[0]?.evidence
    expect(evidence).toMatchObject({ missingCount: 30, extraCount: 0, extra: [] })
    expect(evidence?.['missing']).toEqual(many.slice(0, 20))
  })

  it('takes the first node alphabetically as the reference when no primary was read', () => {
    const h = new HistoryBuilder()
    h.finalRead(0, 'n2', 'replica', [1])
    h.finalRead(1, 'n1', 'replica', [1, 2])
    const result = check(h.ops())
    expect(result.stats).toMatchObject({ reference: 'n1', referenceSource: 'alphabetical' })
    expect(result.anomalies[0]?.evidence).toMatchObject({ node: 'n2', reference: 'n1', missing: [2] })
  })

  it('compares arbitrary JSON elements', () => {
    const h = new HistoryBuilder()
    h.finalRead(0, 'n1', 'primary', [{ k: 'a' }, [1, 2], 'x'])
    h.finalRead(1, 'n2', 'replica', ['x', [1, 2], { k: 'a' }])
    expect(check(h.ops()).valid).toBe(true)
  })

  it('is unknown when a node could not be read', () => {
    const h = new HistoryBuilder()
    h.finalRead(0, 'n1', 'primary', [1])
    h.invoke(1, 'read', null, { final: true, node: 'n2', role: 'replica' })
    h.complete(1, 'info', 'read', null, { final: true, node: 'n2', role: 'replica', error: 'timeout' })
    h.invoke(2, 'read', null, { final: true, node: 'n3' }) // never completed
    const result = check(h.ops())
    expect(result.valid).toBe('unknown')
    expect(result.reason).toBe("only n1's final state was read (n2, n3 unreadable), so nothing to compare")
    expect(result.stats['unreadableNodes']).toEqual(['n2', 'n3'])
  })

  it('still compares the nodes it could read when one is unreadable', () => {
    const h = new HistoryBuilder()
    h.finalRead(0, 'n1', 'primary', [1])
    h.finalRead(1, 'n2', 'replica', [])
    h.invoke(2, 'read', null, { final: true, node: 'n3' })
    h.complete(2, 'fail', 'read', null, { final: true, node: 'n3' })
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    expect(result.stats['unreadableNodes']).toEqual(['n3'])
  })

  it('is unknown for an empty history, and says why', () => {
    expect(check([])).toMatchObject({ valid: 'unknown', reason: expect.stringMatching(/no final state was read/) })
  })

  it('rejects a final read that is not an array as malformed input, naming the op', () => {
    const h = new HistoryBuilder()
    h.finalRead(0, 'n1', 'primary', [1])
    h.invoke(1, 'read', null, { final: true, node: 'n2', role: 'replica' })
    const bad = h.complete(1, 'ok', 'read', 7, { final: true, node: 'n2', role: 'replica' })
    expect(() => check(h.ops())).toThrow(expect.objectContaining({ name: 'HistoryFormatError', opIndex: bad.index }))
  })
})
