import { describe, expect, it } from 'vitest'
import { SetChecker } from '../../checkers/set-checker.js'
import { HistoryBuilder } from './history-builder.js'

const check = (h: HistoryBuilder) => new SetChecker().check(h.ops(), {})

// The set workload groups elements under history keys (1000 a key) and reads one key at a time during the run.
describe('SetChecker on keyed set histories', () => {
  it("a keyed read covers only its own key: it is not stale for lacking another key's elements", () => {
    const h = new HistoryBuilder()
    h.add(0, 1, 'ok', { key: '0' })
    h.add(0, 1001, 'ok', { key: '1' })
    h.read(1, [1001], { key: '1' })
    h.finalRead(2, 'n1', 'primary', [1, 1001])
    const result = check(h)
    expect(result.valid).toBe(true)
    expect(result.stats['staleReads']).toBe(0)
    expect(result.stats['keys']).toBe(2)
  })

  it('a keyed read that lacks an acked element of its key is stale (informational)', () => {
    const h = new HistoryBuilder()
    h.add(0, 1001, 'ok', { key: '1' })
    h.read(1, [], { key: '1' })
    h.finalRead(2, 'n1', 'primary', [1001])
    expect(check(h).stats['staleReads']).toBe(1)
  })

  it('an element returned by a read of another key is unexpected', () => {
    const h = new HistoryBuilder()
    h.add(0, 5, 'ok', { key: '0' })
    h.read(1, [5], { key: '3' })
    h.finalRead(2, 'n1', 'primary', [5])
    const result = check(h)
    expect(result.valid).toBe(false)
    expect(result.anomalies.map((a) => a.kind)).toEqual(['unexpected'])
    expect(result.anomalies[0]?.evidence).toMatchObject({ element: 5, key: '0', readKey: '3' })
  })

  it("without a final phase, the last read of each key is that key's final state; unread keys stay unjudged", () => {
    const h = new HistoryBuilder()
    h.add(0, 1, 'ok', { key: '0' })
    h.add(0, 2, 'ok', { key: '0' })
    h.add(0, 1001, 'ok', { key: '1' })
    h.add(0, 2001, 'ok', { key: '2' }) // key 2 is never read
    h.read(1, [1, 2], { key: '0' })
    h.read(1, [], { key: '1' }) // 1001 is gone
    const result = check(h)
    expect(result.stats['finalStateSource']).toBe('last-read-per-key')
    expect(result.valid).toBe(false)
    const lost = result.anomalies.filter((a) => a.kind === 'lost-acked-write').map((a) => a.evidence['element'])
    expect(lost).toEqual([1001])
    expect(result.anomalies.find((a) => a.kind === 'lost-acked-write')?.evidence['key']).toBe('1')
  })

  it('a lost element of a keyed history names its key in the evidence', () => {
    const h = new HistoryBuilder()
    h.add(0, 7, 'ok', { key: '0' })
    h.finalRead(1, 'n2', 'primary', [])
    const [lost] = check(h).anomalies
    expect(lost?.kind).toBe('lost-acked-write')
    expect(lost?.evidence['key']).toBe('0')
  })
})
