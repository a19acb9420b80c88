import { HistoryFormatError } from '../../core/history/history-format-error.js'
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import type { CheckResult, Checker, Validity } from '../../checkers/checker.js'
import { composeCheckers, composeResults, mergeValidity } from '../../checkers/compose.js'

const validityArb = fc.constantFrom<Validity>(true, false, 'unknown')

const result = (valid: Validity, kinds: Array<'divergence' | 'duplicate'> = []): CheckResult => ({
  valid,
  anomalies: kinds.map((kind) => ({ kind, message: kind, evidence: {} })),
  stats: { valid },
})

describe('mergeValidity', () => {
  it('ranks false over unknown over true, and is true for nothing', () => {
    expect(mergeValidity()).toBe(true)
    expect(mergeValidity(true, true)).toBe(true)
    expect(mergeValidity(true, 'unknown')).toBe('unknown')
    expect(mergeValidity('unknown', false, true)).toBe(false)
  })

  it('is commutative', () => {
    fc.assert(fc.property(validityArb, validityArb, (a, b) => mergeValidity(a, b) === mergeValidity(b, a)))
  })

  it('is associative', () => {
    fc.assert(
      fc.property(validityArb, validityArb, validityArb, (a, b, c) => {
        return mergeValidity(mergeValidity(a, b), c) === mergeValidity(a, mergeValidity(b, c))
      }),
    )
  })

  it('is false whenever any input is false', () => {
    fc.assert(
      fc.property(fc.array(validityArb), fc.nat(), (vs, at) => {
        const withFalse = [...vs.slice(0, at), false as const, ...vs.slice(at)]
        return mergeValidity(...withFalse) === false
      }),
    )
  })
})

describe('composeResults', () => {
  it('merges validity, concatenates anomalies in record order and keeps each result', () => {
    const results = { a: result(true), b: result('unknown', ['duplicate']), c: result(true, ['divergence']) }
    const composed = composeResults(results)
    expect(composed.valid).toBe('unknown')
    expect(composed.anomalies.map((a) => a.kind)).toEqual(['duplicate', 'divergence'])
    expect(composed.stats).toEqual({})
    expect(composed.checkers).toEqual(results)
  })
})

describe('composeCheckers', () => {
  const fixed = (name: string, r: CheckResult): Checker => ({ name, check: () => r })

  it('runs every checker and composes their results', () => {
    const composite = composeCheckers([fixed('set', result(true)), fixed('divergence', result(false, ['divergence']))])
    expect(composite.name).toBe('compose')
    const composed = composite.check([], {})
    expect(composed.valid).toBe(false)
    expect(Object.keys(composed.checkers)).toEqual(['set', 'divergence'])
  })

  it("turns a checker's exception into an unknown result without hiding the others", () => {
    const broken: Checker = {
      name: 'broken',
      check: () => {
        throw new Error('boom at index 7')
      },
    }
    const composed = composeCheckers([broken, fixed('set', result(true))]).check([], {})
    expect(composed.valid).toBe('unknown')
    const broke = {
      valid: 'unknown',
      reason: 'the checker crashed: boom at index 7',
      anomalies: [],
      stats: { error: 'boom at index 7' },
    }
    expect(composed.checkers['broken']).toEqual(broke)
    expect(composed.checkers['set']?.valid).toBe(true)
    // The composite's reason names the checker that could not decide, and why.
    expect(composed.reason).toBe('broken: the checker crashed: boom at index 7')
  })

  it('passes a history-format error on: bad input is not a crash of the checker', () => {
    const strict: Checker = {
      name: 'strict',
      check: () => {
        throw new HistoryFormatError('an add of "abc": set elements are non-negative integers')
      },
    }
    expect(() => composeCheckers([strict]).check([], {})).toThrow(HistoryFormatError)
  })

  it('keeps both results of two checkers with the same name', () => {
    const composed = composeCheckers([fixed('set', result(true)), fixed('set', result(false))]).check([], {})
    expect(Object.keys(composed.checkers)).toEqual(['set', 'set#2'])
    expect(composed.valid).toBe(false)
  })
})
