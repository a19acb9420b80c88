import { describe, expect, it } from 'vitest'
import { SetChecker } from '../../checkers/set-checker.js'
import type { Op } from '../../core/history/op.js'
import { HistoryBuilder } from './history-builder.js'

// Without a final phase (an interrupted run, another tool's history), the last read is the only evidence, and it
// speaks for an element only if it began after everything known of that element.
const check = (ops: readonly Op[]) => new SetChecker().check(ops, {})

describe('SetChecker without a final phase', () => {
  it('an add acknowledged after the last read began is unknown, not lost, and the reason says why', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.invoke(1, 'read', null) // the last read begins …
    h.add(0, 2) // … an add is acknowledged meanwhile …
    h.complete(1, 'ok', 'read', [1]) // … and the read, which could not see it, ends
    const result = check(h.ops())
    expect(result.anomalies).toEqual([])
    expect(result.valid).toBe('unknown')
    expect(result.reason).toMatch(/1 acknowledged add\(s\) were never looked for/)
    expect(result.stats).toMatchObject({ finalStateSource: 'last-read', unjudgedAcked: 1 })
  })

  it('near miss: an add acknowledged before the last read began, and missing from it, is lost', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(0, 2)
    h.read(1, [1])
    const result = check(h.ops())
    expect(result.valid).toBe(false)
    expect(result.anomalies.map((a) => a.kind)).toEqual(['lost-acked-write'])
  })

  it('is valid when the last read began after every acknowledgement and holds them all', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    h.add(0, 2)
    h.read(1, [1, 2])
    const result = check(h.ops())
    expect(result.valid).toBe(true)
    expect(result.reason).toBeUndefined()
  })

  it('keyed: the last read of each key judges only that key, and only what it could have seen', () => {
    const h = new HistoryBuilder()
    h.add(0, 1000, 'ok', { key: '1' })
    h.read(1, [1000], { key: '1' })
    h.add(0, 2000, 'ok', { key: '2' }) // key 2 is never read: unknown
    const unread = check(h.ops())
    expect(unread.valid).toBe('unknown')
    expect(unread.stats).toMatchObject({ finalStateSource: 'last-read-per-key', unjudgedAcked: 1 })

    h.read(1, [], { key: '2' }) // a read of key 2 that began after the ack and lacks it: lost
    const lost = check(h.ops())
    expect(lost.valid).toBe(false)
    expect(lost.anomalies.map((a) => a.kind)).toEqual(['lost-acked-write'])
  })

  it('a phantom needs a last read that began after the read that saw the element', () => {
    const seenLate = new HistoryBuilder()
    seenLate.add(0, 1, 'info')
    seenLate.invoke(2, 'read', null) // the last read begins …
    seenLate.read(1, [1]) // … another read sees the element and ends …
    seenLate.complete(2, 'ok', 'read', []) // … the last read, begun earlier, lacks it: no evidence
    expect(check(seenLate.ops()).anomalies).toEqual([])

    const seenEarly = new HistoryBuilder()
    seenEarly.add(0, 1, 'info')
    seenEarly.read(1, [1])
    seenEarly.read(2, [])
    expect(check(seenEarly.ops()).anomalies.map((a) => a.kind)).toEqual(['phantom-read'])
  })

  it('no read at all is unknown, with the reason', () => {
    const h = new HistoryBuilder()
    h.add(0, 1)
    const result = check(h.ops())
    expect(result.valid).toBe('unknown')
    expect(result.reason).toMatch(/never read/)
  })
})
