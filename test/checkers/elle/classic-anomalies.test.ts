import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../../../checkers/checker.js'
import { ElleChecker } from '../../../checkers/elle/index.js'
import type { IsolationLevel } from '../../../checkers/elle/index.js'
import type { Op } from '../../../core/history/op.js'
import { TxnHistory, append, r } from './txn-history.js'

function check(ops: readonly Op[], isolation: IsolationLevel = 'strict-serializable'): CheckResult {
  return new ElleChecker({ isolation }).check(ops, {})
}

/** Every kind found, proscribed or allowed (at strict-serializable nothing is allowed, so the lists agree). */
function kindsFound(result: CheckResult): string[] {
  const listed = result.anomalies.map((a) => a.kind as string)
  const allowed = Object.keys(result.stats['allowedAnomalyCounts'] as Record<string, number>)
  return [...new Set([...listed, ...allowed])].sort()
}

function cycleOf(result: CheckResult, kind: string): Array<Record<string, unknown>> {
  const anomaly = result.anomalies.find((a) => a.kind === kind)
  expect(anomaly, `a ${kind} anomaly`).toBeDefined()
  return anomaly?.evidence['cycle'] as Array<Record<string, unknown>>
}

/** Each case: a history with exactly one anomaly class, and a near miss (the same shape, valid). */
interface Classic {
  kind: string
  build: (variant: 'anomaly' | 'near-miss') => Op[]
}

const CLASSICS: Classic[] = [
  {
    // T1 and T2 append to x and y; a read sees x in the order T1, T2 and y in the order T2, T1.
    kind: 'G0',
    build: (variant) => {
      const h = new TxnHistory()
      h.concurrent([
        [0, [append('x', 1), append('y', 1)]],
        [1, [append('x', 2), append('y', 2)]],
      ])
      h.txn(2, [r('x', [1, 2]), r('y', variant === 'anomaly' ? [2, 1] : [1, 2])])
      return h.ops()
    },
  },
  {
    // T2 reads an element whose transaction failed.
    kind: 'G1a',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1)], 'fail')
      h.txn(1, [r('x', variant === 'anomaly' ? [1] : [])])
      return h.ops()
    },
  },
  {
    // A replica shows x half way through T1's two appends (it applied half a transaction). Only a read outside the
    // dependency graph shows G1b alone: a client's intermediate read is also a G-single (tested below).
    kind: 'G1b',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1), append('x', 2)])
      h.finalRead(10, 'n1', 'primary', [r('x', [1, 2])])
      h.finalRead(11, 'n2', 'replica', [r('x', variant === 'anomaly' ? [1] : [])])
      return h.ops()
    },
  },
  {
    // Each of T1 and T2 reads the other's append.
    kind: 'G1c',
    build: (variant) => {
      const h = new TxnHistory()
      h.concurrent([
        [0, [append('x', 1), r('y', [1])]],
        [1, [append('y', 1), r('x', variant === 'anomaly' ? [1] : [])]],
      ])
      return h.ops()
    },
  },
  {
    // Read skew: T2 sees T1's append to y but not its append to x.
    kind: 'G-single',
    build: (variant) => {
      const h = new TxnHistory()
      h.concurrent([
        [0, [append('x', 1), append('y', 1)]],
        [1, [r('x', variant === 'anomaly' ? [] : [1]), r('y', [1])]],
      ])
      h.txn(2, [r('x', [1]), r('y', [1])])
      return h.ops()
    },
  },
  {
    // Write skew: each reads both keys empty and appends to one; a later read shows both appends.
    kind: 'G2-item',
    build: (variant) => {
      const h = new TxnHistory()
      h.concurrent([
        [0, [r('x', []), r('y', []), append('x', 1)]],
        [1, [r('x', variant === 'anomaly' ? [] : [1]), r('y', []), append('y', 2)]],
      ])
      h.txn(2, [r('x', [1]), r('y', [2])])
      return h.ops()
    },
  },
  {
    kind: 'internal',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1), r('x', variant === 'anomaly' ? [] : [1])])
      return h.ops()
    },
  },
  {
    kind: 'duplicate-append',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1)])
      h.txn(1, [r('x', variant === 'anomaly' ? [1, 1] : [1])])
      return h.ops()
    },
  },
  {
    // After a failover: one read sees x as [1, 2], another as [1, 3]; no single order has both. Everything overlaps,
    // so real time orders nothing (an acknowledged 3 missing from a later read would be a stale read).
    kind: 'incompatible-order',
    build: (variant) => {
      const h = new TxnHistory()
      h.concurrent([
        [0, [append('x', 1)]],
        [1, [append('x', 2)]],
        [2, [append('x', 3)]],
        [3, [r('x', [1, 2])]],
        [4, [r('x', variant === 'anomaly' ? [1, 3] : [1])]],
      ])
      return h.ops()
    },
  },
]

/**
 * Cycles that need the order clients saw: a process's transactions one after another, or one transaction completing
 * before another began. Each is proscribed only by strict serializability.
 */
const ORDERED_CLASSICS: Classic[] = [
  {
    // The same process appends 1, then 2; a read orders them the other way.
    kind: 'G0-process',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1)])
      h.txn(0, [append('x', 2)])
      h.txn(1, [r('x', variant === 'anomaly' ? [2, 1] : [1, 2])])
      return h.ops()
    },
  },
  {
    // A process reads the append it makes only in its next transaction.
    kind: 'G1c-process',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(0, [r('x', variant === 'anomaly' ? [1] : [])])
      h.txn(0, [append('x', 1)])
      return h.ops()
    },
  },
  {
    // A process misses its own earlier acknowledged append.
    kind: 'G-single-process',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1)])
      h.txn(0, [r('x', variant === 'anomaly' ? [] : [1])])
      h.txn(1, [r('x', [1])])
      return h.ops()
    },
  },
  {
    // B overlaps everything; process 2 runs C, then A; A misses B's append to x, B misses C's append to y.
    kind: 'G2-item-process',
    build: (variant) => {
      const h = new TxnHistory()
      h.invoke(1, [r('y', []), append('x', 1)])
      h.txn(2, [append('y', 1)])
      h.txn(2, [r('x', variant === 'anomaly' ? [] : [1])])
      h.complete(1)
      h.txn(3, [r('x', [1]), r('y', [1])])
      return h.ops()
    },
  },
  {
    // Another process appends 2 after 1 completed; a read orders them the other way.
    kind: 'G0-realtime',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1)])
      h.txn(1, [append('x', 2)])
      h.txn(2, [r('x', variant === 'anomaly' ? [2, 1] : [1, 2])])
      return h.ops()
    },
  },
  {
    // A read of an append not yet invoked.
    kind: 'G1c-realtime',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(1, [r('x', variant === 'anomaly' ? [1] : [])])
      h.txn(0, [append('x', 1)])
      return h.ops()
    },
  },
  {
    // A stale read: it began after the append completed, and misses it.
    kind: 'G-single-realtime',
    build: (variant) => {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1)])
      h.txn(1, [r('x', variant === 'anomaly' ? [] : [1])])
      h.txn(2, [r('x', [1])])
      return h.ops()
    },
  },
  {
    // As G2-item-process, with C and A on different processes, A invoked after C completed.
    kind: 'G2-item-realtime',
    build: (variant) => {
      const h = new TxnHistory()
      h.invoke(1, [r('y', []), append('x', 1)])
      h.txn(2, [append('y', 1)])
      h.txn(0, [r('x', variant === 'anomaly' ? [] : [1])])
      h.complete(1)
      h.txn(3, [r('x', [1]), r('y', [1])])
      return h.ops()
    },
  },
]

describe('ElleChecker on classic anomalies', () => {
  for (const classic of [...CLASSICS, ...ORDERED_CLASSICS]) {
    it(`finds ${classic.kind}, and only it`, () => {
      const result = check(classic.build('anomaly'))
      expect(kindsFound(result)).toEqual([classic.kind])
      expect(result.valid).toBe(false)
      expect((result.stats['anomalyCounts'] as Record<string, number>)[classic.kind]).toBe(1)
      for (const anomaly of result.anomalies) expect(anomaly.message.length).toBeGreaterThan(20)
    })
    if (ORDERED_CLASSICS.includes(classic)) {
      it(`allows ${classic.kind} at serializable`, () => {
        const result = check(classic.build('anomaly'), 'serializable')
        expect(result.valid).toBe(true)
        expect(result.stats['allowedAnomalyCounts']).toEqual({ [classic.kind]: 1 })
      })
    }
    it(`does not find ${classic.kind} in the near miss`, () => {
      const result = check(classic.build('near-miss'))
      expect(result.anomalies).toEqual([])
      expect(kindsFound(result)).toEqual([])
      expect(result.valid).toBe(true)
    })
  }

  it('explains a G-single cycle edge by edge', () => {
    const result = check(CLASSICS.find((c) => c.kind === 'G-single')!.build('anomaly'))
    const cycle = cycleOf(result, 'G-single')
    expect(cycle.map((edge) => edge['type']).sort()).toEqual(['rw', 'wr'])
    const rw = cycle.find((edge) => edge['type'] === 'rw') as Record<string, unknown>
    const wr = cycle.find((edge) => edge['type'] === 'wr') as Record<string, unknown>
    // T2 (process 1) read x empty, and T1 (process 0) appended 1 to it; T2 read y ending in T1's 1.
    expect(rw).toMatchObject({ key: 'x', value: 1, from: { process: 1 }, to: { process: 0 } })
    expect(wr).toMatchObject({ key: 'y', value: 1, from: { process: 0 }, to: { process: 1 } })
    expect(rw['why']).toMatch(/read key "x" as empty/)
    // A cycle closes: each edge starts where the previous one ended.
    for (let i = 0; i < cycle.length; i++) {
      const next = cycle[(i + 1) % cycle.length] as Record<string, { index: number }>
      expect((cycle[i] as Record<string, { index: number }>)['to']!.index).toBe(next['from']!.index)
    }
  })

  it('reports the G0 cycle as two ww edges on two keys', () => {
    const cycle = cycleOf(check(CLASSICS[0]!.build('anomaly')), 'G0')
    expect(cycle.map((edge) => [edge['type'], edge['key']]).sort()).toEqual([
      ['ww', 'x'],
      ['ww', 'y'],
    ])
  })

  it('counts a G2-item cycle with two anti-dependencies', () => {
    const cycle = cycleOf(check(CLASSICS.find((c) => c.kind === 'G2-item')!.build('anomaly')), 'G2-item')
    expect(cycle.map((edge) => edge['type'])).toEqual(['rw', 'rw'])
  })

  it("a client's intermediate read is also a G-single", () => {
    // T1 committed (acknowledged, or shown by the read), so its 2 follows the [1] that T2 read: T2 precedes T1 (rw),
    // yet read T1's 1 (wr).
    for (const outcome of ['ok', 'info'] as const) {
      const h = new TxnHistory()
      h.txn(0, [append('x', 1), append('x', 2)], outcome)
      h.txn(1, [r('x', [1])])
      const result = check(h.ops())
      expect(kindsFound(result)).toEqual(['G-single', 'G1b'])
      expect(result.anomalies.find((a) => a.kind === 'G1b')?.evidence).toMatchObject({ element: 1, laterAppends: [2] })
    }
  })
})

describe('ElleChecker on lost appends and updates', () => {
  function lostWrite(finalList: number[]): Op[] {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1)])
    h.txn(1, [append('x', 2)])
    h.nemesis('failover', { from: 'n1', to: 'n2' })
    h.finalRead(10, 'n2', 'primary', [r('x', finalList)])
    h.finalRead(11, 'n1', 'replica', [r('x', [1, 2])])
    return h.ops()
  }

  it('reports an acknowledged append missing from the primary final read as lost-acked-write', () => {
    const result = check(lostWrite([1]), 'serializable')
    expect(result.anomalies.map((a) => a.kind)).toEqual(['lost-acked-write'])
    expect(result.anomalies[0]!.evidence).toMatchObject({ key: 'x', element: 2, writer: { process: 1 } })
    expect(result.stats['lostAppends']).toEqual({ judged: 2, unjudged: 0 })
    // The primary's read began after the append was acknowledged and lacks it: a stale read in real time as well.
    expect(kindsFound(check(lostWrite([1])))).toEqual(['G-single-realtime', 'lost-acked-write'])
  })

  it('finds nothing lost when the primary has every acknowledged append', () => {
    const result = check(lostWrite([1, 2]))
    expect(result.anomalies).toEqual([])
    expect(result.valid).toBe(true)
  })

  it('judges lost appends only against the primary, and says when it cannot', () => {
    const h = new TxnHistory()
    h.txn(0, [append('x', 1)])
    h.txn(1, [r('x', [1])])
    const noFinal = check(h.ops())
    expect(noFinal.valid).toBe(true)
    expect(noFinal.stats['lostAppends']).toEqual({ judged: 0, unjudged: 1, reason: 'the history has no final phase' })
    h.finalRead(10, 'n2', 'replica', [r('x', [])])
    const replicaOnly = check(h.ops())
    expect(replicaOnly.anomalies.map((a) => a.kind)).not.toContain('lost-acked-write')
    expect((replicaOnly.stats['lostAppends'] as { reason: string }).reason).toMatch(/no ok read from the primary/)
  })

  it('reports a lost update: two transactions read the same version and both appended', () => {
    const h = new TxnHistory()
    h.concurrent([
      [0, [r('x', []), append('x', 1)]],
      [1, [r('x', []), append('x', 2)]],
    ])
    const result = check(h.ops(), 'repeatable-read')
    const lost = result.anomalies.find((a) => a.kind === 'lost-update')
    expect(lost?.evidence).toMatchObject({ key: 'x', version: { length: 0, last: null } })
    // Run serially, each would have read the other's append: as a cycle, each anti-depends on the other.
    expect(kindsFound(result)).toEqual(['G2-item', 'lost-update'])
    // Read committed allows both.
    expect(check(h.ops(), 'read-committed').valid).toBe(true)
  })

  it('finds no lost update when the second transaction read the first one append', () => {
    const h = new TxnHistory()
    h.concurrent([[0, [r('x', []), append('x', 1)]]])
    h.concurrent([[1, [r('x', [1]), append('x', 2)]]])
    h.txn(2, [r('x', [1, 2])])
    expect(check(h.ops()).anomalies).toEqual([])
  })
})

describe('ElleChecker on process and real-time cycles', () => {
  const edgeTypes = (kind: string): string[] => {
    const classic = ORDERED_CLASSICS.find((c) => c.kind === kind) as Classic
    return cycleOf(check(classic.build('anomaly')), kind)
      .map((edge) => edge['type'] as string)
      .sort()
  }

  it('closes each cycle with the order it is named after', () => {
    expect(edgeTypes('G0-process')).toEqual(['process', 'ww'])
    expect(edgeTypes('G1c-process')).toEqual(['process', 'wr'])
    expect(edgeTypes('G-single-process')).toEqual(['process', 'rw'])
    expect(edgeTypes('G2-item-process')).toEqual(['process', 'rw', 'rw'])
    expect(edgeTypes('G0-realtime')).toEqual(['realtime', 'ww'])
    expect(edgeTypes('G1c-realtime')).toEqual(['realtime', 'wr'])
    expect(edgeTypes('G-single-realtime')).toEqual(['realtime', 'rw'])
    expect(edgeTypes('G2-item-realtime')).toEqual(['realtime', 'rw', 'rw'])
  })

  it('no realtime cycle when the read overlaps the append', () => {
    const h = new TxnHistory()
    h.concurrent([
      [0, [append('x', 1)]],
      [1, [r('x', [])]],
    ])
    h.txn(2, [r('x', [1])])
    expect(check(h.ops()).valid).toBe(true)
  })

  it('explains a real-time edge by the ops that order it', () => {
    const classic = ORDERED_CLASSICS.find((c) => c.kind === 'G-single-realtime') as Classic
    const edge = cycleOf(check(classic.build('anomaly')), 'G-single-realtime').find((e) => e['type'] === 'realtime')
    // The append completed at op 1, the read was invoked at op 2.
    expect(edge?.['why']).toMatch(/completed \(op 1\) before .* was invoked \(op 2\)/)
    expect(edge).toMatchObject({ key: null, value: null, from: { index: 1 }, to: { invokeIndex: 2 } })
  })
})
