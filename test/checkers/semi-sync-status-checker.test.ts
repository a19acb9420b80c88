import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { semiSyncStatusChecker } from '../../checkers/semi-sync-status-checker.js'
import type { Op } from '../../core/history/op.js'
import type { StatusSample } from '../../core/semisync/status-sample.js'
import { HistoryBuilder } from './history-builder.js'

type Counters = Pick<StatusSample, 'status' | 'clients' | 'yesTx' | 'noTx' | 'noTimes'>
const ON: Counters = { status: 'ON', clients: 2, yesTx: 0, noTx: 0, noTimes: 0 }

/** A primary's reading at `time` (the history builder's ops are 1000 ns apart). */
const reading = (time: number, counters: Partial<Counters> = {}, node = 'n1'): StatusSample => ({
  time,
  node,
  role: 'primary',
  ...ON,
  ...counters,
})

const check = (history: readonly Op[], samples: readonly StatusSample[]) =>
  semiSyncStatusChecker({ samples, commits: (ok) => ok.f === 'add', countsEveryCommit: true }).check(history, {})

const rules = (history: readonly Op[], samples: readonly StatusSample[]) =>
  check(history, samples).anomalies.map((a) => [a.kind, a.evidence.rule])

describe('semi-sync-status: commits released without an ack while the status reads ON', () => {
  it('no_tx grew between two ON readings with no timeout counted', () => {
    const samples = [reading(100, { yesTx: 3 }), reading(200, { yesTx: 3, noTx: 2 })]
    const result = check([], samples)
    expect(result.valid).toBe(false)
    expect(result.anomalies).toHaveLength(1)
    expect(result.anomalies[0]).toMatchObject({
      kind: 'status-mismatch',
      evidence: { rule: 'released-without-ack-while-on', node: 'n1', before: { noTx: 0 }, after: { noTx: 2 } },
    })
    expect(result.anomalies[0]?.message).toMatch(/2 commit\(s\) returned without an ack .* while the status read ON/)
  })

  it('near miss: a timeout in between (no_times grew) explains the unacked commits', () => {
    const samples = [reading(100), reading(200, { noTx: 2, noTimes: 1 })]
    expect(check([], samples)).toMatchObject({ valid: true, anomalies: [] })
  })

  it('near miss: unacked commits counted while the status reads OFF (the fallback) are what OFF means', () => {
    const samples = [reading(100, { status: 'OFF', noTimes: 1 }), reading(200, { status: 'OFF', noTx: 5, noTimes: 1 })]
    expect(check([], samples)).toMatchObject({ valid: true, anomalies: [] })
  })

  it('near miss: readings of different nodes are never paired', () => {
    const samples = [reading(100, {}, 'n1'), reading(200, { noTx: 4 }, 'n2')]
    expect(check([], samples).anomalies).toEqual([])
  })

  it("near miss: a replica's readings and failed readings are not a primary's", () => {
    const samples: StatusSample[] = [
      reading(100),
      { ...reading(150, { noTx: 9 }), role: 'replica' },
      { time: 170, node: 'n1', role: 'primary', error: 'timed out' },
      reading(200),
    ]
    expect(check([], samples).anomalies).toEqual([])
  })
})

describe('semi-sync-status: the status turned OFF with no cause', () => {
  it('ON to OFF with no timeout counted and every replica still there', () => {
    expect(rules([], [reading(100), reading(200, { status: 'OFF' })])).toEqual([
      ['status-mismatch', 'off-without-timeout-or-lost-replica'],
    ])
  })

  it('near miss: a timeout counted, or a replica lost, or none left, explains OFF', () => {
    expect(rules([], [reading(100), reading(200, { status: 'OFF', noTimes: 1 })])).toEqual([])
    expect(rules([], [reading(100), reading(200, { status: 'OFF', clients: 1 })])).toEqual([])
    expect(rules([], [reading(100, { clients: 0 }), reading(200, { status: 'OFF', clients: 0 })])).toEqual([])
  })
})

describe('semi-sync-status: counters going backwards', () => {
  it('a counter that falls with no restart of the node in between', () => {
    const result = check([], [reading(100, { yesTx: 10 }), reading(200, { yesTx: 4 })])
    expect(result.anomalies).toHaveLength(1)
    expect(result.anomalies[0]).toMatchObject({ evidence: { rule: 'counter-went-backwards' } })
    expect(result.anomalies[0]?.message).toMatch(/yesTx went backwards with no restart/)
  })

  it('near miss: a kill of the node in between starts its counters again from zero', () => {
    const h = new HistoryBuilder()
    h.nemesis('kill', { target: 'primary' }, 'invoke') // time 1000
    h.nemesis('kill', 'n1') // time 2000
    expect(check(h.ops(), [reading(100, { yesTx: 10 }), reading(5000, { yesTx: 0 })]).anomalies).toEqual([])
  })

  it('near miss: the kill of another node does not', () => {
    const h = new HistoryBuilder()
    h.nemesis('kill', 'n2') // time 1000
    expect(rules(h.ops(), [reading(100, { yesTx: 10 }), reading(5000, { yesTx: 0 })])).toEqual([
      ['status-mismatch', 'counter-went-backwards'],
    ])
  })
})

describe('semi-sync-status: every acknowledged commit counted', () => {
  /** Readings at 500 and 90_000 ns around adds that all end ok on n1 between them; `counted` is yes_tx at the end. */
  const run = (adds: number, counted: number, node = 'n1') => {
    const h = new HistoryBuilder()
    for (let i = 0; i < 3; i++) h.nemesis('noop', null) // times 1000–3000: the monitor's next sample came at 1500
    for (let e = 0; e < adds; e++) h.add(0, e, 'ok', { node })
    const samples = [
      reading(500),
      { ...reading(1500), node: 'n2', role: 'replica' as const },
      reading(90_000, { yesTx: counted }),
    ]
    return check(h.ops(), samples)
  }

  it('more commits acknowledged on the primary than its counters grew by', () => {
    const result = run(5, 3)
    expect(result.valid).toBe(false)
    expect(result.anomalies).toHaveLength(1)
    expect(result.anomalies[0]).toMatchObject({
      kind: 'status-mismatch',
      evidence: { rule: 'acked-commit-not-counted', node: 'n1', ackedCommits: 5, counted: 3 },
    })
  })

  it('near miss: commits acknowledged before a restart are not held against the counters after it', () => {
    const h = new HistoryBuilder()
    for (let i = 0; i < 3; i++) h.nemesis('noop', null)
    for (let e = 0; e < 5; e++) h.add(0, e, 'ok', { node: 'n1' }) // ok by time 13_000
    h.nemesis('kill', 'n1') // time 14_000: the counters start again from zero
    const samples = [
      reading(500),
      { ...reading(1500), node: 'n2', role: 'replica' as const },
      reading(13_500, { yesTx: 5 }),
      reading(20_000),
      reading(30_000),
    ]
    expect(check(h.ops(), samples).anomalies).toEqual([])
    // The same readings with no restart in between: the counters fell, and the five commits went uncounted.
    const noKill = h.ops().filter((op) => op.f !== 'kill')
    expect(rules(noKill, samples)).toEqual([
      ['status-mismatch', 'counter-went-backwards'],
      ['status-mismatch', 'acked-commit-not-counted'],
    ])
  })

  it('near miss: MySQL counts one per binlog group, so its counters are not held against the commits', () => {
    const h = new HistoryBuilder()
    for (let i = 0; i < 3; i++) h.nemesis('noop', null)
    for (let e = 0; e < 5; e++) h.add(0, e, 'ok', { node: 'n1' })
    const samples = [
      reading(500),
      { ...reading(1500), node: 'n2', role: 'replica' as const },
      reading(90_000, { yesTx: 1 }),
    ]
    const checker = semiSyncStatusChecker({ samples, commits: (ok) => ok.f === 'add', countsEveryCommit: false })
    expect(checker.check(h.ops(), {}).anomalies).toEqual([])
  })

  it('near miss: as many counted as acknowledged (or more: other sessions commit too)', () => {
    expect(run(5, 5).anomalies).toEqual([])
    expect(run(5, 8).anomalies).toEqual([])
  })

  it('near miss: commits acknowledged on another node are not this primary’s', () => {
    expect(run(5, 0, 'n2').anomalies).toEqual([])
  })

  it('near miss: a commit that began before the first reading was done may already be in it', () => {
    const h = new HistoryBuilder()
    h.invoke(0, 'add', 1, { node: 'n1' }) // time 1000, before the monitor's next sample at 1500
    h.complete(0, 'ok', 'add', 1, { node: 'n1' })
    const samples = [reading(500), { ...reading(1500), node: 'n2', role: 'replica' as const }, reading(90_000)]
    expect(check(h.ops(), samples).anomalies).toEqual([])
  })

  it('near miss: info and fail adds prove no commit', () => {
    const h = new HistoryBuilder()
    for (let i = 0; i < 3; i++) h.nemesis('noop', null)
    h.add(0, 1, 'info', { node: 'n1' })
    h.add(1, 2, 'fail', { node: 'n1' })
    h.add(2, 3, 'pending', { node: 'n1' })
    const samples = [reading(500), { ...reading(1500), node: 'n2', role: 'replica' as const }, reading(90_000)]
    expect(check(h.ops(), samples).anomalies).toEqual([])
  })

  it('property: counters that count every ok add, never fall and stay ON never mismatch; one uncounted does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<'ok' | 'info' | 'fail'>('ok', 'info', 'fail'), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (outcomes, readingsEvery) => {
          const h = new HistoryBuilder()
          h.nemesis('noop', null)
          const samples: StatusSample[] = [reading(500)]
          const now = () => h.ops().length * 1000 + 500
          let okSoFar = 0
          outcomes.forEach((outcome, i) => {
            h.add(i, i, outcome, { node: 'n1' })
            if (outcome === 'ok') okSoFar++
            if (i % readingsEvery === 0) samples.push(reading(now(), { yesTx: okSoFar }))
          })
          samples.push(reading(now(), { yesTx: okSoFar }))
          expect(check(h.ops(), samples).anomalies).toEqual([])
          // One more add, begun after that reading was surely done (the monitor sampled n2 since) and ended ok
          // before the next reading, which did not count it.
          samples.push({ ...reading(now() + 100), node: 'n2', role: 'replica' })
          h.nemesis('noop', null)
          h.nemesis('noop', null)
          h.add(outcomes.length, outcomes.length, 'ok', { node: 'n1' })
          samples.push(reading(now(), { yesTx: okSoFar }))
          expect(check(h.ops(), samples).anomalies.map((a) => a.evidence.rule)).toEqual(['acked-commit-not-counted'])
        },
      ),
    )
  })
})
