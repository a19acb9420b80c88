import { describe, it, expect } from 'vitest'
import type { Anomaly } from '../../checkers/checker.js'
import { SetChecker } from '../../checkers/set-checker.js'
import { HistoryFormatError } from '../../core/history/history-format-error.js'
import type { Op } from '../../core/history/op.js'
import { HistoryBuilder } from './history-builder.js'

const check = (ops: readonly Op[]) => new SetChecker().check(ops, {})
const ofKind = (anomalies: Anomaly[], kind: Anomaly['kind']) => anomalies.filter((a) => a.kind === kind)

describe('SetChecker', () => {
  it('passes a clean run', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(1, 2)
    h.read(0, [1, 2], { node: 'n1' })
    h.finalRead(2, 'n1', 'primary', [1, 2])
    h.finalRead(3, 'n2', 'replica', [2, 1])
    const result = check(h.ops())
    expect(result.valid).toBe(true)
    expect(result.anomalies).toEqual([])
    expect(result.stats).toMatchObject({
      finalStateSource: 'final-read',
      finalStateRead: { node: 'n1', role: 'primary' },
      finalStateSize: 2,
      attempts: 2,
      okAdds: 2,
      infoAdds: 0,
      failAdds: 0,
      reads: 3,
      recovered: 0,
      lostUnacked: 0,
      neverRead: 0,
      staleReads: 0,
      duplicateAdds: 0,
    })
  })

  it('reports an acked add lost after a failover, naming the failover', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    const [invoke, ok] = h.add(1, 2, 'ok', { node: 'n1' })
    const failover = h.nemesis('failover', { from: 'n1', to: 'n2' })
    h.finalRead(2, 'n2', 'primary', [1])
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    expect(result.anomalies).toHaveLength(1)
    const [lost] = result.anomalies
    expect(lost?.kind).toBe('lost-acked-write')
    expect(lost?.evidence).toEqual({
      element: 2,
      process: 1,
      invokeIndex: invoke?.index,
      invokeTime: invoke?.time,
      okIndex: ok?.index,
      okTime: ok?.time,
      node: 'n1',
      lostIn: { index: failover.index, time: failover.time, value: { from: 'n1', to: 'n2' } },
      lastSeen: null,
    })
    expect(lost?.message).toContain(
      `lost in the failover n1→n2 at ${(failover.time / 1e9).toFixed(3)} s, index ${failover.index}`,
    )
    expect(result.stats['anomalyCounts']).toMatchObject({ 'lost-acked-write': 1, 'phantom-read': 0 })
  })

  it('reports a phantom read of an info add that the failover rolled back', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(1, 3, 'info')
    const read = h.read(2, [1, 3], { node: 'n1' })
    const failover = h.nemesis('failover', 'n2')
    h.finalRead(3, 'n2', 'primary', [1])
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    expect(result.anomalies.map((a) => a.kind)).toEqual(['phantom-read'])
    expect(result.anomalies[0]?.evidence).toEqual({
      element: 3,
      firstSeen: { index: read.index, time: read.time, node: 'n1', process: 2 },
      addOutcome: 'info',
      lostIn: { index: failover.index, time: failover.time, value: 'n2' },
    })
    expect(result.stats).toMatchObject({ lostUnacked: 1, recovered: 0, infoAdds: 1 })
  })

  it('reports an AFTER_COMMIT-style read-then-lost as both lost-acked-write and phantom-read', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(1, 2)
    const firstRead = h.read(2, [1, 2], { node: 'n2' })
    const lastRead = h.read(2, [2, 1], { node: 'n1' })
    h.nemesis('failover', null, 'invoke')
    // The completion carries the failover's report, so it is the one cited.
    const failover = h.nemesis('failover', { from: 'n1', to: 'n2' }, 'info')
    h.finalRead(3, 'n2', 'primary', [1])
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    const [lost] = ofKind(result.anomalies, 'lost-acked-write')
    const [phantom] = ofKind(result.anomalies, 'phantom-read')
    expect(lost?.evidence).toMatchObject({
      element: 2,
      lostIn: { index: failover.index },
      lastSeen: { index: lastRead.index, time: lastRead.time, node: 'n1' },
    })
    expect(phantom?.evidence).toMatchObject({
      element: 2,
      addOutcome: 'ok',
      firstSeen: { index: firstRead.index, node: 'n2' },
      lostIn: { index: failover.index },
    })
    expect(result.anomalies).toHaveLength(2)
  })

  it('counts an info add that made it into the final state as recovered, not an error', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(1, 3, 'info')
    h.read(2, [1, 3])
    h.finalRead(3, 'n1', 'primary', [1, 3])
    const result = check(h.ops())
    expect(result.valid).toBe(true)
    expect(result.stats).toMatchObject({ recovered: 1, lostUnacked: 0, infoAdds: 1, okAdds: 1 })
  })

  it('treats an add with no completion as info', () => {
    const h = new HistoryBuilder()
    h.add(0, 1, 'pending')
    h.add(1, 2, 'pending')
    h.read(2, [1, 2])
    h.finalRead(3, 'n1', 'primary', [1])
    const result = check(h.ops())
    expect(result.stats).toMatchObject({ pendingAdds: 2, infoAdds: 2, recovered: 1, lostUnacked: 1 })
    expect(result.anomalies.map((a) => a.kind)).toEqual(['phantom-read'])
    expect(result.anomalies[0]?.evidence).toMatchObject({ element: 2, addOutcome: 'pending' })
  })

  it('reports a failed add that took effect', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    const [invoke, fail] = h.add(1, 4, 'fail', { error: 'deadlock' })
    h.finalRead(2, 'n1', 'primary', [1, 4])
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    expect(result.anomalies).toHaveLength(1)
    expect(result.anomalies[0]?.kind).toBe('unexpected')
    expect(result.anomalies[0]?.message).toContain('a failed add took effect')
    expect(result.anomalies[0]?.evidence).toMatchObject({
      element: 4,
      invokeIndex: invoke?.index,
      failIndex: fail?.index,
      error: 'deadlock',
      node: 'n1',
    })
  })

  it('tolerates a failed attempt when another add of the same element succeeded', () => {
    const h = new HistoryBuilder()
    h.add(0, 5, 'fail')
    h.add(0, 5, 'ok')
    h.finalRead(1, 'n1', 'primary', [5])
    const result = check(h.ops())
    expect(result.valid).toBe(true)
    expect(result.stats).toMatchObject({ duplicateAdds: 1, attempts: 2, okAdds: 1, failAdds: 1 })
  })

  it('reports an element no add ever invoked', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    const read = h.read(1, [1, 99], { node: 'n2' })
    h.finalRead(2, 'n1', 'primary', [1, 99])
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    expect(result.anomalies).toHaveLength(1)
    expect(result.anomalies[0]).toMatchObject({
      kind: 'unexpected',
      evidence: { element: 99, readIndex: read.index, node: 'n2' },
    })
  })

  it('reports an element a read returned more than once', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(0, 2)
    const read = h.read(1, [1, 2, 1, 1], { node: 'n2' })
    h.finalRead(2, 'n1', 'primary', [1, 2])
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    expect(result.anomalies).toHaveLength(1)
    expect(result.anomalies[0]).toMatchObject({
      kind: 'duplicate',
      evidence: { readIndex: read.index, node: 'n2', element: 1, count: 3 },
    })
  })

  it('is unknown for an empty history', () => {
    const result = check([])
    expect(result.valid).toBe('unknown')
    expect(result.anomalies).toEqual([])
    expect(result.stats).toMatchObject({ finalStateSource: 'none', attempts: 0, reads: 0 })
  })

  it('falls back to the last read when there is no final read', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.read(1, [1]) // before 2 was added: not stale
    h.add(0, 2)
    const last = h.read(1, [1, 2])
    const clean = check(h.ops())
    expect(clean.valid).toBe(true)
    expect(clean.stats).toMatchObject({ finalStateSource: 'last-read', finalStateRead: { index: last.index } })

    const lossy = new HistoryBuilder()
    lossy.add(0, 1)
    lossy.read(1, [1])
    lossy.add(0, 2)
    lossy.read(1, [1])
    const result = check(lossy.ops())
    expect(result.valid).toBe(false)
    expect(result.anomalies.map((a) => [a.kind, a.evidence['element']])).toEqual([['lost-acked-write', 2]])
  })

  it('is unknown when the set was never read', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(0, 2, 'info')
    h.invoke(1, 'read', null)
    h.complete(1, 'fail', 'read', null)
    const result = check(h.ops())
    expect(result.valid).toBe('unknown')
    expect(result.anomalies).toEqual([])
    expect(result.stats).toMatchObject({ finalStateSource: 'none', neverRead: 1, reads: 0 })
  })

  it('counts stale reads without calling them errors', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.read(1, [], { node: 'n2', role: 'replica' })
    h.read(1, [1], { node: 'n2', role: 'replica' })
    h.finalRead(2, 'n1', 'primary', [1])
    const result = check(h.ops())
    expect(result.valid).toBe(true)
    expect(result.stats['staleReads']).toBe(1)
  })

  it('does not call a read stale for an element acked only after the read began', () => {
    const h = new HistoryBuilder()
    h.invoke(0, 'add', 1)
    h.invoke(1, 'read', null)
    h.complete(0, 'ok', 'add', 1)
    h.complete(1, 'ok', 'read', [])
    h.finalRead(2, 'n1', 'primary', [1])
    expect(check(h.ops()).stats['staleReads']).toBe(0)
  })

  it("takes the primary's final read as the final state, not a replica's", () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.finalRead(1, 'n1', 'primary', [])
    h.finalRead(2, 'n2', 'replica', [1])
    const result = check(h.ops())
    expect(result.anomalies.map((a) => a.kind)).toEqual(['lost-acked-write'])
    expect(result.anomalies[0]?.evidence['lastSeen']).toMatchObject({ node: 'n2' })
  })

  it('caps evidence at 100 anomalies per kind but counts them all', () => {
    const h = new HistoryBuilder()
    for (let element = 0; element < 150; element++) h.add(0, element)
    h.finalRead(1, 'n1', 'primary', [])
    const result = check(h.ops())
    expect(ofKind(result.anomalies, 'lost-acked-write')).toHaveLength(100)
    expect(result.stats['anomalyCounts']).toMatchObject({ 'lost-acked-write': 150 })
  })

  it('handles sparse elements (no dense index) the same way', () => {
    for (const [kept, lost, stray] of [
      [1_000_000_000, 7, 123_456_789],
      [3, 4, 5],
    ] as const) {
      const h = new HistoryBuilder()
      h.invoke(0, 'add', kept)
      h.complete(0, 'ok', 'add', kept)
      h.invoke(0, 'add', lost)
      h.complete(0, 'ok', 'add', lost)
      h.finalRead(1, 'n1', 'primary', [kept, stray])
      const result = check(h.ops())
      expect(result.anomalies.map((a) => [a.kind, a.evidence['element']])).toEqual([
        ['lost-acked-write', lost],
        ['unexpected', stray],
      ])
    }
  })

  it('rejects an ok read whose value is not an array as malformed input, naming the op', () => {
    const h = new HistoryBuilder()
    h.invoke(0, 'read', null)
    h.complete(0, 'ok', 'read', 7)
    expect(() => check(h.ops())).toThrow(HistoryFormatError)
    expect(() => check(h.ops())).toThrow(/op 1: an ok read of 7/)
  })

  it('rejects values of the wrong type as malformed input, not as anomalies', () => {
    const badAdds: unknown[] = ['abc', { n: 1 }, -5, 1e308, 2.5, null, [1]]
    for (const value of badAdds) {
      const h = new HistoryBuilder()
      h.add(0, 1)
      h.invoke(1, 'add', value)
      h.complete(1, 'ok', 'add', value)
      h.finalRead(2, 'n1', 'primary', [1])
      let error: unknown
      try {
        check(h.ops())
      } catch (e) {
        error = e
      }
      expect(error, JSON.stringify(value)).toBeInstanceOf(HistoryFormatError)
      expect((error as HistoryFormatError).opIndex).toBe(2)
    }
    const badReads: unknown[] = [42, null, 'x', [1, 'x'], [1, -1], [{}]]
    for (const value of badReads) {
      const h = new HistoryBuilder()
      h.add(0, 1)
      h.invoke(1, 'read', null)
      h.complete(1, 'ok', 'read', value)
      expect(() => check(h.ops()), JSON.stringify(value)).toThrow(HistoryFormatError)
    }
  })

  it('near miss: a failed or unknown read may carry any value (only ok reads are evidence)', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.invoke(1, 'read', null)
    h.complete(1, 'fail', 'read', 'timeout')
    h.finalRead(2, 'n1', 'primary', [1])
    expect(check(h.ops()).valid).toBe(true)
  })
})
