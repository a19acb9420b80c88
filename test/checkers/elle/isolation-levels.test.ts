import { describe, expect, it } from 'vitest'
import { ElleChecker, ISOLATION_LEVELS, parseIsolationLevel, proscribedAt } from '../../../checkers/elle/index.js'
import type { IsolationLevel } from '../../../checkers/elle/index.js'
import { ConfigError } from '../../../core/errors/config-error.js'
import type { Op } from '../../../core/history/op.js'
import { TxnHistory, append, r } from './txn-history.js'

function gSingle(): Op[] {
  const h = new TxnHistory()
  h.concurrent([
    [0, [append('x', 1), append('y', 1)]],
    [1, [r('x', []), r('y', [1])]],
  ])
  h.txn(2, [r('x', [1]), r('y', [1])])
  return h.ops()
}

function g1c(): Op[] {
  const h = new TxnHistory()
  h.concurrent([
    [0, [append('x', 1), r('y', [1])]],
    [1, [append('y', 1), r('x', [1])]],
  ])
  return h.ops()
}

function staleRead(): Op[] {
  const h = new TxnHistory()
  h.txn(0, [append('x', 1)])
  h.txn(1, [r('x', [])])
  h.txn(2, [r('x', [1])])
  return h.ops()
}

function verdicts(ops: readonly Op[]): Record<IsolationLevel, unknown> {
  return Object.fromEntries(
    ISOLATION_LEVELS.map((isolation) => [isolation, new ElleChecker({ isolation }).check(ops, {}).valid]),
  ) as Record<IsolationLevel, unknown>
}

describe('ElleChecker isolation levels', () => {
  it('G-single fails repeatable read and above, passes read committed', () => {
    expect(verdicts(gSingle())).toEqual({
      'read-committed': true,
      'repeatable-read': false,
      serializable: false,
      'strict-serializable': false,
    })
  })

  it('G1c fails every level', () => {
    expect(verdicts(g1c())).toEqual({
      'read-committed': false,
      'repeatable-read': false,
      serializable: false,
      'strict-serializable': false,
    })
  })

  it('a real-time cycle fails only strict serializability', () => {
    expect(verdicts(staleRead())).toEqual({
      'read-committed': true,
      'repeatable-read': true,
      serializable: true,
      'strict-serializable': false,
    })
  })

  it('lists an allowed anomaly in stats, not among the anomalies', () => {
    const result = new ElleChecker({ isolation: 'read-committed' }).check(gSingle(), {})
    expect(result.anomalies).toEqual([])
    expect(result.stats['anomalyCounts']).toEqual({})
    expect(result.stats['allowedAnomalyCounts']).toEqual({ 'G-single': 1 })
    const examples = result.stats['allowedAnomalyExamples'] as Array<{ kind: string; message: string }>
    expect(examples.map((e) => e.kind)).toEqual(['G-single'])
    expect(examples[0]!.message).toMatch(/G-single/)
  })

  it('defaults to serializable', () => {
    const checker = new ElleChecker()
    expect(checker.isolation).toBe('serializable')
    expect(checker.check(staleRead(), {}).valid).toBe(true)
    expect(checker.check(gSingle(), {}).valid).toBe(false)
  })

  it('each level proscribes what the weaker ones do, and the always-proscribed kinds', () => {
    for (let i = 1; i < ISOLATION_LEVELS.length; i++) {
      const weaker = proscribedAt(ISOLATION_LEVELS[i - 1]!)
      const stronger = proscribedAt(ISOLATION_LEVELS[i]!)
      for (const kind of weaker) expect(stronger.has(kind)).toBe(true)
    }
    for (const kind of [
      'internal',
      'duplicate-append',
      'incompatible-order',
      'lost-acked-write',
      'G1a',
      'G1b',
    ] as const) {
      expect(proscribedAt('read-committed').has(kind)).toBe(true)
    }
    expect(proscribedAt('serializable').has('G-single-realtime')).toBe(false)
    expect(proscribedAt('serializable').has('G2-item-process')).toBe(false)
    expect(proscribedAt('strict-serializable').has('G2-item-process')).toBe(true)
  })

  it('parses level names and rejects unknown ones clearly', () => {
    for (const level of ISOLATION_LEVELS) expect(parseIsolationLevel(level)).toBe(level)
    expect(() => parseIsolationLevel('snapshot-isolation')).toThrow(ConfigError)
    expect(() => parseIsolationLevel('Serializable', '--isolation')).toThrow(
      /--isolation: unknown isolation level "Serializable"; known: read-committed, repeatable-read, serializable, strict-serializable/,
    )
  })
})

describe('ElleChecker: non-repeatable reads', () => {
  /** Process 0 reads x twice; between the reads, process 1 commits an append to x, and process 0 then appends too. */
  function rereads(second: number[]): Op[] {
    const h = new TxnHistory()
    h.txn(9, [append('x', 1)])
    h.invoke(0, [r('x'), r('x'), append('x', 3), r('x')])
    h.txn(1, [append('x', 2)])
    h.complete(0, 'ok', {}, [r('x', [1]), r('x', [1, 2]), append('x', 3), r('x', second)])
    return h.ops()
  }

  const kinds = (ops: readonly Op[], isolation: IsolationLevel): string[] =>
    new ElleChecker({ isolation }).check(ops, {}).anomalies.map((a) => a.kind)

  it('read committed lets a later read show what others committed in between', () => {
    const result = new ElleChecker({ isolation: 'read-committed' }).check(rereads([1, 2, 3]), {})
    expect(result.valid).toBe(true)
    // The later read is a read of a later version: the anti-dependency it makes shows up, allowed, in the stats.
    expect(result.stats.allowedAnomalyCounts).toHaveProperty('G-single')
  })

  it('every stronger level calls the same reads internal', () => {
    for (const isolation of ['repeatable-read', 'serializable', 'strict-serializable'] as const)
      expect(kinds(rereads([1, 2, 3]), isolation)).toContain('internal')
  })

  it('near miss: at read committed a later read must still begin with the earlier one and end with its own append', () => {
    expect(kinds(rereads([2, 1, 3]), 'read-committed')).toContain('internal')
    expect(kinds(rereads([1, 3, 2]), 'read-committed')).toContain('internal')
  })
})
