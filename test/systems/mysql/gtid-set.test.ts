import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GtidSet } from '../../../systems/mysql/gtid-set.js'

const A = '3e11fa47-71ca-11e1-9e33-c80aa9429562'
const B = '8a94f357-aab4-11df-86ab-c80aa9429563'

describe('GtidSet', () => {
  it('reads the server text: several sources, newlines, single transactions, merged intervals', () => {
    const set = GtidSet.parse(`${B}:1-3:5,\n${A}:1-5:6-9`)
    expect(set.toString()).toBe(`${A}:1-9,${B}:1-3:5`)
    expect(set.size).toBe(13)
  })

  it('reads the empty set (an empty gtid_executed) as empty', () => {
    for (const text of ['', '  ', null, undefined]) {
      expect(GtidSet.parse(text).isEmpty).toBe(true)
      expect(GtidSet.parse(text).size).toBe(0)
      expect(GtidSet.parse(text).toString()).toBe('')
    }
  })

  it('keeps tagged GTIDs (8.3+) apart from the untagged ones of the same server', () => {
    const set = GtidSet.parse(`${A}:1-3:audit:1-2`)
    expect(set.size).toBe(5)
    expect(set.subtract(GtidSet.parse(`${A}:1-3`)).toString()).toBe(`${A}:audit:1-2`)
  })

  it('refuses what is not a GTID set, naming the part', () => {
    expect(() => GtidSet.parse('0-1-13')).toThrow(/not a MySQL GTID set: "0-1-13"/)
    expect(() => GtidSet.parse(`${A}:5-3`)).toThrow(/not a MySQL GTID set/)
    expect(() => GtidSet.parse(`${A}:0`)).toThrow(/not a MySQL GTID set/)
    expect(() => GtidSet.parse(`${A}`)).toThrow(/not a MySQL GTID set/)
  })

  it('subtracts like GTID_SUBTRACT: errant transactions of an old primary', () => {
    const oldPrimary = GtidSet.parse(`${A}:1-120`)
    const newPrimary = GtidSet.parse(`${A}:1-117,${B}:1-40`)
    expect(oldPrimary.subtract(newPrimary).toString()).toBe(`${A}:118-120`)
    expect(newPrimary.subtract(oldPrimary).toString()).toBe(`${B}:1-40`)
    expect(newPrimary.contains(GtidSet.parse(`${A}:5-7`))).toBe(true)
    expect(newPrimary.contains(oldPrimary)).toBe(false)
  })

  /** Sets as plain sets of (source, number) pairs, the model the intervals must agree with. */
  const transactions = fc.array(fc.tuple(fc.constantFrom(A, B), fc.integer({ min: 1, max: 40 })), { maxLength: 60 })
  const textOf = (pairs: Array<[string, number]>): string => pairs.map(([uuid, n]) => `${uuid}:${n}`).join(',')
  const modelOf = (pairs: Array<[string, number]>): Set<string> => new Set(pairs.map(([u, n]) => `${u}:${n}`))
  const pairsOf = (set: GtidSet): Set<string> => {
    const out = new Set<string>()
    for (const part of set.toString().split(',').filter(Boolean)) {
      const [uuid, ...ranges] = part.split(':')
      for (const range of ranges) {
        const [start, end = start] = range.split('-').map(Number) as [number, number?]
        for (let n = start; n <= (end as number); n++) out.add(`${uuid}:${n}`)
      }
    }
    return out
  }

  it('agrees with plain sets on union, subtraction, inclusion and size (property)', () => {
    fc.assert(
      fc.property(transactions, transactions, (x, y) => {
        const [a, b] = [GtidSet.parse(textOf(x)), GtidSet.parse(textOf(y))]
        const [ma, mb] = [modelOf(x), modelOf(y)]
        expect(pairsOf(a.union(b))).toEqual(new Set([...ma, ...mb]))
        expect(pairsOf(a.subtract(b))).toEqual(new Set([...ma].filter((t) => !mb.has(t))))
        expect(a.contains(b)).toBe([...mb].every((t) => ma.has(t)))
        expect(a.size).toBe(ma.size)
        // The canonical text reads back as the same set.
        expect(GtidSet.parse(a.toString()).toString()).toBe(a.toString())
      }),
    )
  })
})
