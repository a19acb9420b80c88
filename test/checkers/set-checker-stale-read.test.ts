import { describe, expect, it } from 'vitest'
import { SetChecker } from '../../checkers/set-checker.js'
import type { Op } from '../../core/history/op.js'
import { HistoryBuilder } from './history-builder.js'

const check = (ops: readonly Op[]) => new SetChecker().check(ops, {})

describe('stale reads', () => {
  it('a read on the primary that misses an element acknowledged before it began is a stale-read, with evidence', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(0, 2)
    const stale = h.read(1, [1], { node: 'n2' }) // the new primary, promoted before it applied 2
    h.finalRead(2, 'n2', 'primary', [1, 2])
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    expect(result.anomalies.map((a) => a.kind)).toEqual(['stale-read'])
    expect(result.anomalies[0]?.message).toMatch(/read at index \d+ on n2 missed 1 element\(s\) acknowledged before/)
    expect(result.anomalies[0]?.evidence).toMatchObject({
      read: { index: stale.index, node: 'n2' },
      node: 'n2',
      missed: [{ element: 2 }],
      missedCount: 1,
    })
    expect(result.stats).toMatchObject({ staleReads: 1, anomalyCounts: { 'stale-read': 1 } })
  })

  it('near miss: an element acknowledged while the read was under way may be missing', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.invoke(0, 'add', 2)
    h.invoke(1, 'read', null)
    h.complete(0, 'ok', 'add', 2)
    h.complete(1, 'ok', 'read', [1], { node: 'n1' })
    h.finalRead(2, 'n1', 'primary', [1, 2])
    expect(check(h.ops())).toMatchObject({ valid: true, anomalies: [], stats: { staleReads: 0 } })
  })

  it('near miss: a read marked as served by a replica may lag (counted, not an anomaly)', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.read(1, [], { node: 'n3', role: 'replica' })
    h.finalRead(2, 'n1', 'primary', [1])
    expect(check(h.ops())).toMatchObject({ valid: true, anomalies: [], stats: { staleReads: 1 } })
  })

  it('near miss: an acknowledged element missing at the end is a lost write, not a stale read', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(0, 2)
    h.read(1, [1], { node: 'n2' })
    h.finalRead(2, 'n2', 'primary', [1])
    expect(check(h.ops()).anomalies.map((a) => a.kind)).toEqual(['lost-acked-write'])
  })

  it('keyed reads are judged against their own key only', () => {
    const h = new HistoryBuilder()
    h.add(0, 1, 'ok', { key: 'a' })
    h.add(0, 2, 'ok', { key: 'b' })
    h.read(1, [1], { key: 'a', node: 'n1' })
    const stale = h.read(1, [], { key: 'b', node: 'n1' })
    h.finalRead(2, 'n1', 'primary', [1, 2])
    const result = check(h.ops())
    expect(result.anomalies.map((a) => a.kind)).toEqual(['stale-read'])
    expect(result.anomalies[0]?.evidence).toMatchObject({ read: { index: stale.index }, missed: [{ element: 2 }] })
  })
})
