import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../../../checkers/checker.js'
import { ElleChecker } from '../../../checkers/elle/index.js'
import type { Op } from '../../../core/history/op.js'
import { TxnHistory, append, r } from './txn-history.js'

function check(ops: readonly Op[]): CheckResult {
  return new ElleChecker({ isolation: 'strict-serializable' }).check(ops, {})
}

const kinds = (result: CheckResult): string[] => result.anomalies.map((a) => a.kind)

describe('ElleChecker edge cases', () => {
  it('is unknown when there is nothing to check', () => {
    const empty = check([])
    expect(empty.valid).toBe('unknown')
    expect(empty.reason).toMatch(/no client transaction completed ok/)
    const h = new TxnHistory()
    h.nemesis('kill', 'n1')
    h.txn(0, [append('x', 1)], 'fail')
    h.txn(1, [append('x', 2)], 'info')
    h.txn(2, [r('x')], 'pending')
    const nothingOk = check(h.ops())
    expect(nothingOk.valid).toBe('unknown')
    expect(nothingOk.stats['txns']).toEqual({ total: 3, ok: 0, fail: 1, info: 1, pending: 1, final: 0 })
  })

  it('still fails a history with no ok client txn when an anomaly shows', () => {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1)], 'fail')
    h.finalRead(5, 'n1', 'primary', [r('x', [1])])
    expect(check(h.ops()).valid).toBe(false)
    expect(kinds(check(h.ops()))).toEqual(['G1a'])
  })

  it("takes an info txn's append as committed once a read shows it", () => {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1), append('y', 1)], 'info')
    h.txn(1, [r('x', [1])])
    // It committed, so a later read must also see its append to y: the real-time order then puts y's empty read after it.
    h.txn(2, [r('y', [])])
    const result = check(h.ops())
    expect(kinds(result)).toEqual(['G-single-realtime'])
    expect((result.stats['graph'] as { nodes: number }).nodes).toBe(3)
  })

  it('leaves out info and pending txns no read shows, and never orders after them', () => {
    for (const outcome of ['info', 'pending'] as const) {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1)], outcome)
      h.txn(1, [r('x', [])])
      h.txn(2, [append('x', 2)])
      h.txn(3, [r('x', [2])])
      const result = check(h.ops())
      expect(result.valid).toBe(true)
      expect((result.stats['graph'] as { nodes: number }).nodes).toBe(3)
    }
  })

  it('an info append may also show up late, after reads that missed it', () => {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1)], 'info')
    h.txn(1, [r('x', [])])
    h.txn(2, [r('x', [1])])
    expect(check(h.ops()).valid).toBe(true)
  })

  it('reads null and [] as the same empty list', () => {
    for (const empty of [null, []]) {
      const h = new TxnHistory()
      h.concurrent([
        [0, [r('x', empty), append('x', 1)]],
        [1, [r('y', empty)]],
      ])
      h.txn(2, [r('x', [1]), r('y', null)])
      h.txn(3, [r('y', [])])
      expect(check(h.ops()).valid).toBe(true)
    }
    const stale = new TxnHistory()
    stale.txn(0, [append('x', 1)])
    stale.txn(1, [r('x', null)])
    stale.txn(2, [r('x', [1])])
    expect(kinds(check(stale.ops()))).toEqual(['G-single-realtime'])
  })

  it('keeps equal values under different keys apart', () => {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1)], 'fail')
    h.txn(1, [append('y', 1)])
    h.txn(2, [r('y', [1]), r('x', [])])
    expect(check(h.ops()).valid).toBe(true)
    h.txn(3, [r('x', [1])])
    expect(kinds(check(h.ops()))).toEqual(['G1a'])
  })

  it('treats integer and string keys as different keys', () => {
    const h = new TxnHistory()
    h.txn(0, [append(1, 5), append('1', 6)])
    h.txn(1, [r(1, [5]), r('1', [6])])
    const result = check(h.ops())
    expect(result.valid).toBe(true)
    expect(result.stats['keys']).toBe(2)
    const swapped = new TxnHistory()
    swapped.txn(0, [append(1, 5)])
    swapped.txn(1, [r('1', [5])])
    expect(kinds(check(swapped.ops()))).toEqual(['unexpected'])
  })

  it('reports an element no transaction appended as unexpected', () => {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1)])
    h.txn(1, [r('x', [1, 99])])
    const result = check(h.ops())
    expect(kinds(result)).toEqual(['unexpected'])
    expect(result.anomalies[0]!.evidence).toMatchObject({ key: 'x', element: 99 })
  })

  it("reports appends that land out of their transaction's order as incompatible-order", () => {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1), append('x', 2)])
    h.txn(1, [r('x', [2, 1])])
    const result = check(h.ops())
    expect(kinds(result)).toContain('incompatible-order')
    expect(result.valid).toBe(false)
  })

  it('ignores the nemesis and non-txn operations', () => {
    const h = new TxnHistory()
    h.nemesis('partition', { topology: 'halves' })
    h.txn(0, [append('x', 1)])
    const ops: Op[] = [
      ...h.ops(),
      { index: 2, time: 3000, process: 3, type: 'invoke', f: 'add', value: 7 },
      { index: 3, time: 4000, process: 3, type: 'ok', f: 'add', value: 7 },
    ]
    const result = check(ops)
    expect(result.valid).toBe(true)
    expect((result.stats['txns'] as { total: number }).total).toBe(1)
  })

  it('checks final reads of replicas against the order, but does not order transactions by them', () => {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1)])
    h.txn(1, [append('x', 2)])
    h.finalRead(10, 'n1', 'primary', [r('x', [1, 2])])
    h.finalRead(11, 'n2', 'replica', [r('x', [1])])
    // A lagging replica reads a prefix: not a stale read of the primary, nothing to report.
    expect(check(h.ops()).valid).toBe(true)
    h.finalRead(12, 'n3', 'replica', [r('x', [1, 3])])
    const diverged = check(h.ops())
    expect(kinds(diverged).sort()).toEqual(['incompatible-order', 'unexpected'])
  })

  it('caps the anomaly list and keeps the counts exact', () => {
    const h = new TxnHistory()
    for (let i = 0; i < 150; i++) {
      h.txn(0, [append(`k${i}`, 1)], 'fail')
      h.txn(1, [r(`k${i}`, [1])])
    }
    const result = check(h.ops())
    expect(result.anomalies).toHaveLength(100)
    expect(result.stats['anomalyCounts']).toEqual({ G1a: 150 })
  })

  it('reports one anomaly per broken read of a duplicated list, and the order of the other reads still counts', () => {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1)])
    h.txn(1, [append('x', 2)])
    h.txn(2, [r('x', [1, 2, 1])])
    h.txn(3, [r('x', [1, 2])])
    h.txn(4, [r('x', [1])])
    const result = check(h.ops())
    // The read [1] began after 2 was acknowledged and the order [1, 2] (from the intact read) shows it missed it.
    expect(kinds(result)).toEqual(['duplicate-append', 'G-single-realtime'])
  })
})
