import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Op } from '../../../core/history/op.js'
import type { StatusSample } from '../../../core/semisync/status-sample.js'
import { OP_TYPES, reportData } from '../../../results/report/run-report/report-data.js'

const MS = 1_000_000
const history: Op[] = [
  { index: 0, time: 1 * MS, process: 0, type: 'invoke', f: 'add', key: '0', value: 0 },
  { index: 1, time: 2 * MS, process: 1, type: 'invoke', f: 'read', key: '0', value: null },
  { index: 2, time: 3 * MS, process: 0, type: 'ok', f: 'add', key: '0', value: 0, node: 'n1' },
  { index: 3, time: 5 * MS, process: 1, type: 'fail', f: 'read', key: '0', value: null, node: 'n1', error: 'timeout' },
  { index: 4, time: 6 * MS, process: 'nemesis', type: 'info', f: 'kill', value: 'n1' },
  { index: 5, time: 7 * MS, process: 2, type: 'invoke', f: 'add', key: '0', value: 1 },
  { index: 6, time: 9 * MS, process: 3, type: 'invoke', f: 'read', value: null, node: 'n2', final: true },
  { index: 7, time: 10 * MS, process: 3, type: 'ok', f: 'read', value: [0], node: 'n2', final: true },
]

describe('reportData', () => {
  it('pairs invocations with completions into columns, a pending one lasting to the end of the run', () => {
    const data = reportData(history, [])
    expect(data.endS).toBe(0.01)
    expect(data.fs).toEqual(['add', 'read'])
    expect(data.nodes).toEqual(['n1', 'n2'])
    expect(data.ops).toEqual({
      start: [0.001, 0.002, 0.009, 0.007],
      latencyMs: [2, 3, 1, 3],
      type: [OP_TYPES.indexOf('ok'), OP_TYPES.indexOf('fail'), OP_TYPES.indexOf('ok'), OP_TYPES.indexOf('pending')],
      f: [0, 1, 1, 0],
      process: [0, 1, 3, 2],
      node: [0, 0, 1, -1],
      final: [0, 0, 1, 0],
    })
    expect(data.bands).toEqual([{ kind: 'kill', start: 0.006, end: 0.01, label: 'kill n1', open: true }])
    // The final read is no client traffic: the 100 ms bucket holds the add and the failed read only.
    expect(data.throughput).toEqual({ bucketS: 0.1, start: [0], ok: [10], fail: [10], info: [0] })
  })

  it('counts client completions in the throughput, as a rate per bucket (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(60_000), fc.constantFrom('ok', 'fail', 'info')), { maxLength: 300 }),
        (raw) => {
          const ops: Op[] = raw
            .sort((a, b) => a[0] - b[0])
            .flatMap(([ms, type], i) => [
              { index: 2 * i, time: ms * MS, process: i, type: 'invoke', f: 'add', value: i },
              { index: 2 * i + 1, time: ms * MS, process: i, type: type as Op['type'], f: 'add', value: i },
            ])
          const { throughput } = reportData(ops, [])
          const total = (list: number[]): number => list.reduce((a, b) => a + b, 0) * throughput.bucketS
          for (const type of ['ok', 'fail', 'info'] as const) {
            const expected = raw.filter(([, t]) => t === type).length
            expect(Math.abs(total(throughput[type]) - expected)).toBeLessThan(0.5 * throughput.start.length + 1e-6)
          }
          expect(throughput.start.length).toBeLessThanOrEqual(301)
        },
      ),
    )
  })

  it('keeps each node’s readings, the primary’s status as 1/0, nothing where the node could not be read', () => {
    const samples: StatusSample[] = [
      {
        time: 0,
        node: 'n1',
        role: 'primary',
        status: 'ON',
        waitSessions: 1,
        yesTx: 3,
        noTx: 0,
        clients: 2,
        binlogSeq: 7,
      },
      { time: 0, node: 'n2', role: 'replica', yesTx: 0, noTx: 0, receivedSeq: 7, appliedSeq: 6 },
      { time: 100 * MS, node: 'n1', role: 'primary', status: 'OFF', waitSessions: 0, yesTx: 3, noTx: 1, clients: 0 },
      { time: 100 * MS, node: 'n2', role: 'replica', error: 'connect ECONNREFUSED' },
    ]
    const { status } = reportData([], samples)
    expect(status.n1).toMatchObject({
      time: [0, 0.1],
      on: [1, 0],
      waitSessions: [1, 0],
      noTx: [0, 1],
      binlogSeq: [7, null],
    })
    expect(status.n2).toMatchObject({
      on: [null, null],
      receivedSeq: [7, null],
      appliedSeq: [6, null],
      yesTx: [0, null],
    })
  })
})
