import { describe, expect, it } from 'vitest'
import type { Op, OpType } from '../../../core/history/op.js'
import { nemesisBands } from '../../../results/report/run-report/nemesis-bands.js'

const S = 1_000_000_000
let index = 0
const nemesis = (seconds: number, f: string, value: unknown, type: OpType = 'info', error?: string): Op => ({
  index: index++,
  time: seconds * S,
  process: 'nemesis',
  type,
  f,
  value,
  ...(error === undefined ? {} : { error }),
})

describe('nemesisBands', () => {
  it('pairs each fault with the action that undid it, by node where the fault has one', () => {
    const { bands } = nemesisBands([
      nemesis(1, 'kill', { target: 'primary' }, 'invoke'),
      nemesis(1, 'kill', 'n1'),
      nemesis(2, 'pause', 'n2'),
      nemesis(3, 'partition', { topology: 'replicas', cut: ['n2<->n1', 'n2<->n3'] }),
      nemesis(4, 'resume', ['n2']),
      nemesis(5, 'start', { n1: 'rejoined n2 (truncate)' }),
      nemesis(6, 'heal', 'healed'),
      nemesis(7, 'latency', { links: ['n2<->n1'], meanMs: 200, jitterMs: 50 }),
      nemesis(8, 'clear-latency', 'cleared'),
      nemesis(9, 'load', { opsPerSecond: 2000 }),
      nemesis(10, 'load', 'the configured rate'),
    ])
    expect(bands.map((b) => [b.kind, b.startNs / S, b.endNs / S, b.label, b.open])).toEqual([
      ['kill', 1, 5, 'kill n1', false],
      ['pause', 2, 4, 'pause n2', false],
      ['partition', 3, 6, 'partition n2<->n1 n2<->n3', false],
      ['latency', 7, 8, 'latency 200 ms', false],
      ['load', 9, 10, 'load 2000 ops/s', false],
    ])
  })

  it('keeps a fault open through a failed or skipped heal, and closes it at the end of the run, marked open', () => {
    const { bands } = nemesisBands([
      nemesis(1, 'kill', 'n1'),
      nemesis(2, 'start', undefined, 'info', 'Error: n1: re-provisioning refused'),
      nemesis(3, 'start', { skipped: 'the replicas had not caught up' }),
      nemesis(4, 'stall-applier', 'n2'),
      { index: index++, time: 9 * S, process: 0, type: 'ok', f: 'add', value: 1, node: 'n2' },
    ])
    expect(bands.map((b) => [b.kind, b.startNs / S, b.endNs / S, b.open])).toEqual([
      ['kill', 1, 9, true],
      ['applier', 4, 9, true],
    ])
  })

  it('ends every stalled or slowed applier at resume-applier, even one left out of its value (promoted meanwhile)', () => {
    const { bands } = nemesisBands([
      nemesis(1, 'stall-applier', 'n2'),
      nemesis(2, 'slow-applier', { node: 'n3', applyTimeUs: 20000 }),
      nemesis(3, 'resume-applier', []),
    ])
    expect(bands.map((b) => [b.label, b.endNs / S])).toEqual([
      ['stalled applier n2', 3],
      ['slow applier n3', 3],
    ])
  })

  it('reads failovers, with the error of one that promoted nobody; a failed nemesis action starts nothing', () => {
    const { bands, failovers } = nemesisBands([
      nemesis(1, 'failover', { from: 'n1', to: 'n2', policy: 'most-advanced', candidates: [], undrained: [] }),
      nemesis(2, 'failover', { from: 'n2', to: null, policy: 'most-advanced', error: 'no live replica to promote' }),
      nemesis(3, 'kill', undefined, 'info', 'Error: no live replica to target'),
    ])
    expect(bands).toEqual([])
    expect(failovers).toEqual([
      { timeNs: 1 * S, from: 'n1', to: 'n2', policy: 'most-advanced', error: null },
      { timeNs: 2 * S, from: 'n2', to: null, policy: 'most-advanced', error: 'no live replica to promote' },
    ])
  })
})
