import { describe, expect, it } from 'vitest'
import { checkLinearizable } from '../../../checkers/linearizability/index.js'
import type { LinearizabilityResult, ModelName } from '../../../checkers/linearizability/index.js'
import type { Op } from '../../../core/history/op.js'
import { HistoryBuilder } from '../history-builder.js'

const check = (h: HistoryBuilder, model: ModelName): LinearizabilityResult => checkLinearizable(h.ops(), { model })

/** A whole op, invoked and completed with nothing in between. */
function op(
  h: HistoryBuilder,
  p: number,
  f: string,
  value: unknown,
  type: 'ok' | 'fail' | 'info' = 'ok',
  key?: string,
): Op[] {
  const extra = key === undefined ? {} : { key }
  const invokeValue = f === 'read' || f === 'get' ? null : value
  return [h.invoke(p, f, invokeValue, extra), h.complete(p, type, f, value, extra)]
}

describe('register: classic cases', () => {
  it('rejects a stale read after a completed write, naming the read and the state', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'write', 1)
    const [readInvoke] = op(h, 1, 'read', null)
    const result = check(h, 'register')
    expect(result.valid).toBe(false)
    const failure = result.failures[0]
    expect(failure?.key).toBeNull()
    expect(failure?.prefix.map((s) => s.label)).toEqual(['write 1'])
    expect(failure?.state).toBe(1)
    expect(failure?.stuck).toEqual([
      expect.objectContaining({ invokeIndex: readInvoke?.index, completeIndex: 3, blocking: true, required: true }),
    ])
    expect(failure?.stuck[0]).toEqual(expect.objectContaining({ legal: false, unreachable: true }))
    expect(failure?.stuck[0]?.reason).toBe('read null, but the register holds 1, and no remaining op can make it legal')
    expect(failure?.message).toContain('op 2')
  })

  it('rejects a read of a value never written', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'write', 1)
    op(h, 1, 'read', 7)
    expect(check(h, 'register').valid).toBe(false)
  })

  it('accepts either order of two concurrent writes, but not both orders at once', () => {
    for (const [first, second] of [
      [1, 2],
      [2, 1],
    ]) {
      const h = new HistoryBuilder()
      h.invoke(0, 'write', 1)
      h.invoke(1, 'write', 2)
      op(h, 2, 'read', first)
      op(h, 2, 'read', second)
      h.complete(0, 'ok', 'write', 1)
      h.complete(1, 'ok', 'write', 2)
      op(h, 2, 'read', second)
      expect(check(h, 'register').valid).toBe(true)
    }
    const h = new HistoryBuilder()
    h.invoke(0, 'write', 1)
    h.invoke(1, 'write', 2)
    op(h, 2, 'read', 1)
    op(h, 2, 'read', 2)
    op(h, 2, 'read', 1)
    h.complete(0, 'ok', 'write', 1)
    h.complete(1, 'ok', 'write', 2)
    expect(check(h, 'register').valid).toBe(false)
  })

  it('accepts a read concurrent with a write returning either value', () => {
    for (const seen of [null, 5]) {
      const h = new HistoryBuilder()
      h.invoke(0, 'write', 5)
      op(h, 1, 'read', seen)
      h.complete(0, 'ok', 'write', 5)
      expect(check(h, 'register').valid).toBe(true)
    }
  })

  it('cas: an ok cas must have matched; a failed cas never took effect', () => {
    const matched = new HistoryBuilder()
    op(matched, 0, 'cas', [null, 1])
    op(matched, 1, 'read', 1)
    expect(check(matched, 'register').valid).toBe(true)

    const okWithoutMatch = new HistoryBuilder()
    op(okWithoutMatch, 0, 'write', 3)
    op(okWithoutMatch, 1, 'cas', [5, 6])
    const result = check(okWithoutMatch, 'register')
    expect(result.valid).toBe(false)
    // Nothing ever writes 5, so the cas is hopeless from the start.
    expect(result.failures[0]?.stuck[0]?.reason).toBe(
      'cas expected 5, but the register holds null, and no remaining op can make it legal',
    )

    const failed = new HistoryBuilder()
    op(failed, 0, 'cas', [null, 2], 'fail')
    op(failed, 1, 'read', null)
    expect(check(failed, 'register').valid).toBe(true)

    const failedButSeen = new HistoryBuilder()
    op(failedButSeen, 0, 'cas', [null, 2], 'fail')
    op(failedButSeen, 1, 'read', 2)
    expect(check(failedButSeen, 'register').valid).toBe(false)
  })

  it('an info cas may or may not have taken effect', () => {
    for (const seen of [null, 2]) {
      const h = new HistoryBuilder()
      op(h, 0, 'cas', [null, 2], 'info')
      op(h, 1, 'read', seen)
      expect(check(h, 'register').valid).toBe(true)
    }
  })

  it('an info write may take effect long after it completed, but not before it was invoked', () => {
    const later = new HistoryBuilder()
    op(later, 0, 'write', 3, 'info')
    op(later, 1, 'read', null)
    op(later, 1, 'read', null)
    op(later, 1, 'read', 3)
    op(later, 1, 'read', 3)
    expect(check(later, 'register').valid).toBe(true)

    const before = new HistoryBuilder()
    op(before, 1, 'read', 3)
    op(before, 0, 'write', 3, 'info')
    expect(check(before, 'register').valid).toBe(false)
  })

  it('an info write cannot take effect twice', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'write', 3, 'info')
    op(h, 1, 'read', 3)
    op(h, 1, 'write', 4)
    op(h, 1, 'read', 3)
    expect(check(h, 'register').valid).toBe(false)
  })

  it('treats an invocation with no completion as info', () => {
    const h = new HistoryBuilder()
    h.invoke(0, 'write', 9)
    op(h, 1, 'read', null)
    op(h, 1, 'read', 9)
    expect(check(h, 'register').valid).toBe(true)
  })

  it('drops reads that ended info, whatever value they carry, and ignores the nemesis', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'write', 1)
    h.nemesis('kill', 'n1')
    op(h, 1, 'read', 42, 'info')
    op(h, 2, 'read', 1)
    const result = check(h, 'register')
    expect(result.valid).toBe(true)
    expect(result.stats.unknownReadsDropped).toBe(1)
    expect(result.stats.clientOps).toBe(3)
  })

  it('leaves out unknown writes that nothing observes, before searching', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'write', 1, 'info')
    op(h, 1, 'write', 2, 'info')
    op(h, 2, 'read', 2)
    op(h, 3, 'write', 3, 'info')
    const result = check(h, 'register')
    expect(result.valid).toBe(true)
    // write 1 is never read; write 3 was invoked after the last ok op completed.
    expect(result.stats.unknownUpdatesPruned).toBe(2)
    expect(result.stats.searchedOps).toBe(2)
  })

  it('an empty history, or one of nemesis ops only, is unknown: nothing was checked, and the reason says so', () => {
    const empty = checkLinearizable([], { model: 'register' })
    expect(empty.valid).toBe('unknown')
    expect(empty.reason).toMatch(/no client operations/)
    const h = new HistoryBuilder()
    h.nemesis('partition', ['n1'])
    const nemesisOnly = check(h, 'register')
    expect(nemesisOnly.valid).toBe('unknown')
    expect(nemesisOnly.reason).toMatch(/nothing was checked/)
  })

  it('near miss: one client op is something to check', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'write', 1)
    const result = check(h, 'register')
    expect(result.valid).toBe(true)
    expect(result.reason).toBeUndefined()
  })
})

describe('kv: append ordering', () => {
  it('sequential appends are seen in order', () => {
    const good = new HistoryBuilder()
    op(good, 0, 'append', 'a')
    op(good, 1, 'append', 'b')
    op(good, 2, 'get', 'ab')
    expect(check(good, 'kv').valid).toBe(true)

    const bad = new HistoryBuilder()
    op(bad, 0, 'append', 'a')
    op(bad, 1, 'append', 'b')
    op(bad, 2, 'get', 'ba')
    const result = check(bad, 'kv')
    expect(result.valid).toBe(false)
    // Once "a" is appended, no put can ever bring the value back to a prefix of "ba".
    expect(result.failures[0]?.stuck[0]?.reason).toBe(
      'get returned "ba", but the value is "a", and no remaining op can make it legal',
    )
  })

  it('concurrent appends may land in either order, but every get agrees on it', () => {
    const h = new HistoryBuilder()
    h.invoke(0, 'append', 'a')
    h.invoke(1, 'append', 'b')
    op(h, 2, 'get', 'b')
    h.complete(0, 'ok', 'append', 'a')
    h.complete(1, 'ok', 'append', 'b')
    op(h, 2, 'get', 'ba')
    expect(check(h, 'kv').valid).toBe(true)

    const split = new HistoryBuilder()
    split.invoke(0, 'append', 'a')
    split.invoke(1, 'append', 'b')
    split.complete(0, 'ok', 'append', 'a')
    split.complete(1, 'ok', 'append', 'b')
    op(split, 2, 'get', 'ab')
    op(split, 2, 'get', 'ba')
    expect(check(split, 'kv').valid).toBe(false)
  })

  it('put replaces, append extends, a missing key reads as ""', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'get', null)
    op(h, 0, 'append', 'x')
    op(h, 1, 'put', 'p')
    op(h, 1, 'append', 'q')
    op(h, 2, 'get', 'pq')
    expect(check(h, 'kv').valid).toBe(true)
  })

  it('an info append that shows up later is fine; one seen twice is not', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'append', 'z', 'info')
    op(h, 1, 'get', '')
    op(h, 1, 'append', 'y')
    op(h, 1, 'get', 'yz')
    expect(check(h, 'kv').valid).toBe(true)

    const twice = new HistoryBuilder()
    op(twice, 0, 'append', 'z', 'info')
    op(twice, 1, 'get', 'z')
    op(twice, 1, 'get', 'zz')
    expect(check(twice, 'kv').valid).toBe(false)
  })
})

describe('set: add and read', () => {
  it('reads are compared as sets', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'add', 1)
    op(h, 1, 'add', 2)
    op(h, 2, 'read', [2, 1, 2])
    expect(check(h, 'set').valid).toBe(true)
  })

  it('rejects a read missing a completed add, and one holding an element never added', () => {
    const missing = new HistoryBuilder()
    op(missing, 0, 'add', 1)
    op(missing, 1, 'add', 2)
    op(missing, 2, 'read', [1])
    const result = check(missing, 'set')
    expect(result.valid).toBe(false)
    expect(result.failures[0]?.stuck[0]?.reason).toContain('missing from the read: 2')

    const phantom = new HistoryBuilder()
    op(phantom, 0, 'add', 1)
    op(phantom, 2, 'read', [1, 3])
    expect(check(phantom, 'set').valid).toBe(false)
  })

  it('an info add may appear later, and then must stay', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'add', 3, 'info')
    op(h, 1, 'read', [])
    op(h, 1, 'read', [3])
    expect(check(h, 'set').valid).toBe(true)

    const vanished = new HistoryBuilder()
    op(vanished, 0, 'add', 3, 'info')
    op(vanished, 1, 'read', [3])
    op(vanished, 1, 'read', [])
    expect(check(vanished, 'set').valid).toBe(false)
  })
})

describe('keys are checked independently', () => {
  it('reports only the bad key', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'write', 1, 'ok', 'a')
    op(h, 1, 'write', 1, 'ok', 'b')
    op(h, 2, 'read', 1, 'ok', 'a')
    op(h, 2, 'read', null, 'ok', 'b')
    op(h, 3, 'read', null, 'ok', 'c')
    const result = check(h, 'register')
    expect(result.valid).toBe(false)
    expect(result.keys).toEqual({ total: 3, linearizable: 2, nonlinearizable: 1, unknown: 0 })
    expect(result.failures.map((f) => f.key)).toEqual(['b'])
    expect(result.failures[0]?.message).toContain('Key "b"')
  })

  it('a value written under one key is not seen under another', () => {
    const h = new HistoryBuilder()
    op(h, 0, 'write', 1, 'ok', 'a')
    op(h, 1, 'read', 1, 'ok', 'b')
    expect(check(h, 'register').valid).toBe(false)
  })
})
