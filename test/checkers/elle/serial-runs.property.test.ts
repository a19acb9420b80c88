import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ElleChecker } from '../../../checkers/elle/index.js'
import type { Op } from '../../../core/history/op.js'
import { runSerial, stepArb } from './serial-history.js'
import type { Mop } from './txn-history.js'

const strict = new ElleChecker({ isolation: 'strict-serializable' })

const runArb = fc.record({
  steps: fc.array(stepArb, { minLength: 1, maxLength: 90, size: 'max' }),
  lag: fc.nat({ max: 3 }),
})

/** Where a client's ok read is: the op, and the micro-op in it. */
interface ReadSpot {
  op: Op
  mop: number
  key: string | number
  list: number[]
}

function clientReads(ops: readonly Op[]): ReadSpot[] {
  return ops.flatMap((op) =>
    op.type !== 'ok' || op.final === true
      ? []
      : (op.value as Mop[]).flatMap((mop, i) =>
          mop[0] === 'r' ? [{ op, mop: i, key: mop[1], list: mop[2] ?? [] }] : [],
        ),
  )
}

/** The history with one read's list replaced. */
function withRead(ops: readonly Op[], spot: ReadSpot, list: number[]): Op[] {
  return ops.map((op) => {
    if (op !== spot.op) return op
    const value = (op.value as Mop[]).map((mop, i): Mop => (i === spot.mop ? ['r', spot.key, list] : mop))
    return { ...op, value }
  })
}

describe('ElleChecker on generated runs', () => {
  it('finds a strictly serial run valid at strict-serializable', () => {
    let judged = 0
    fc.assert(
      fc.property(runArb, ({ steps, lag }) => {
        const { ops, okTxns } = runSerial(steps, lag)
        const result = strict.check(ops, {})
        expect(result.anomalies).toEqual([])
        expect(result.stats['allowedAnomalyCounts']).toEqual({})
        expect(result.valid).toBe(okTxns > 0 ? true : 'unknown')
        if (okTxns > 0) judged++
      }),
      { numRuns: 500 },
    )
    expect(judged).toBeGreaterThan(300)
  })

  it('finds a run invalid once a read loses a middle element', () => {
    fc.assert(
      fc.property(runArb, fc.nat(), fc.nat(), ({ steps, lag }, pick, cut) => {
        const { ops } = runSerial(steps, lag)
        const long = clientReads(ops).filter((spot) => spot.list.length >= 3)
        fc.pre(long.length > 0)
        const spot = long[pick % long.length] as ReadSpot
        const at = 1 + (cut % (spot.list.length - 2))
        const result = strict.check(
          withRead(
            ops,
            spot,
            spot.list.filter((_, i) => i !== at),
          ),
          {},
        )
        expect(result.valid).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('finds G1a once a read returns the append of a failed transaction', () => {
    fc.assert(
      fc.property(runArb, fc.nat(), ({ steps, lag }, pick) => {
        const { ops } = runSerial(steps, lag)
        const reads = clientReads(ops)
        fc.pre(reads.length > 0)
        const spot = reads[pick % reads.length] as ReadSpot
        // A failed transaction, run first, appended a value never used elsewhere; the read now ends with it.
        const failed = 1_000_000
        const failing: Op[] = [
          { index: 0, time: 0, process: 99, type: 'invoke', f: 'txn', value: [['append', spot.key, failed]] },
          { index: 1, time: 0, process: 99, type: 'fail', f: 'txn', value: [['append', spot.key, failed]] },
        ]
        const shifted = withRead(ops, spot, [...spot.list, failed]).map((op) => ({ ...op, index: op.index + 2 }))
        const result = strict.check([...failing, ...shifted], {})
        expect(result.valid).toBe(false)
        expect(result.anomalies.map((a) => a.kind)).toContain('G1a')
      }),
      { numRuns: 300 },
    )
  })
})
