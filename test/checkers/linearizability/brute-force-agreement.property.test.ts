import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkLinearizable, MODEL_NAMES } from '../../../checkers/linearizability/index.js'
import type { ModelName } from '../../../checkers/linearizability/index.js'
import type { Op } from '../../../core/history/op.js'
import { BRUTE_FORCE_MAX_OPS, bruteForceLinearizable, memoisedReferenceLinearizable } from './brute-force.js'
import { mutate, mutationArb, randomHistoryArb, runSchedule, scheduleArb, expectedVerdict } from './history-gen.js'
import { REFERENCE_MODELS } from './reference-models.js'

/** Small histories: schedules run against the model, some broken by mutations, and random ones, so both verdicts occur often. */
function smallHistoryArb(model: ModelName): fc.Arbitrary<Op[]> {
  const mutated = fc
    .tuple(
      scheduleArb(model, { maxSlots: 4, maxKeys: 2, maxOps: BRUTE_FORCE_MAX_OPS - 1, maxSteps: 40 }),
      fc.array(mutationArb, { maxLength: 3 }),
    )
    .map(([schedule, mutations]) => mutate(runSchedule(schedule), model, mutations))
  return fc.oneof(mutated, randomHistoryArb(model, BRUTE_FORCE_MAX_OPS - 1))
}

describe('the WGL checker agrees with brute-force enumeration on small histories', () => {
  for (const model of MODEL_NAMES) {
    it(`agrees on valid and invalid histories (${model})`, () => {
      const seen = { valid: 0, invalid: 0 }
      fc.assert(
        fc.property(smallHistoryArb(model), (history) => {
          const expected = bruteForceLinearizable(history, model)
          const result = checkLinearizable(history, { model, timeoutMs: 10_000 })
          expect(result.valid).toBe(expectedVerdict(history, expected))
          seen[expected ? 'valid' : 'invalid']++
          if (!expected) checkExplanationReplays(history, model, result.failures)
        }),
        { numRuns: 2500 },
      )
      // Guards the generator: an agreement test where one verdict never occurs proves little.
      expect(seen.invalid).toBeGreaterThan(50)
      expect(seen.valid).toBeGreaterThan(50)
    })
  }
})

/**
 * An explanation must hold up on its own: its prefix replays on the reference model in an order consistent with real
 * time, and each stuck op is rejected by the reference model in the state the prefix reaches.
 */
function checkExplanationReplays(
  history: readonly Op[],
  model: ModelName,
  failures: ReturnType<typeof checkLinearizable>['failures'],
): void {
  const reference = REFERENCE_MODELS[model]
  expect(failures.length).toBeGreaterThan(0)
  for (const failure of failures) {
    expect(failure.prefixOmitted).toBe(0)
    let state = reference.init()
    let lastPoint = -Infinity
    for (const step of failure.prefix) {
      const invoke = history.find((op) => op.index === step.invokeIndex) as Op
      const value = reference.isRead(step.f) ? step.value : invoke.value
      const applied = reference.apply(state, step.f, value)
      expect(applied.ok).toBe(true)
      state = applied.state
      expect(step.linearizedAt).toBeGreaterThanOrEqual(lastPoint)
      expect(step.linearizedAt).toBeGreaterThanOrEqual(step.invokeTime)
      if (step.completeTime !== null && step.outcome === 'ok')
        expect(step.linearizedAt).toBeLessThanOrEqual(step.completeTime)
      lastPoint = step.linearizedAt
    }
    for (const stuck of failure.stuck) {
      const invoke = history.find((op) => op.index === stuck.invokeIndex) as Op
      const value = reference.isRead(stuck.f) ? stuck.value : invoke.value
      expect(reference.apply(state, stuck.f, value).ok).toBe(stuck.legal)
    }
    // The headline op is a culprit: required, and illegal in the state reached.
    expect(failure.stuck[0]).toEqual(expect.objectContaining({ required: true, legal: false }))
  }
}

describe('the WGL checker agrees with a memoised enumeration on medium histories', () => {
  for (const model of MODEL_NAMES) {
    it(`agrees with up to 30 ops and 4 processes (${model})`, () => {
      const seen = { valid: 0, invalid: 0 }
      const historyArb = fc
        .tuple(
          scheduleArb(model, { maxSlots: 4, maxKeys: 1, maxOps: 30, maxSteps: 120 }),
          fc.array(mutationArb, { maxLength: 2 }),
        )
        .map(([schedule, mutations]) => mutate(runSchedule(schedule), model, mutations))
      fc.assert(
        fc.property(historyArb, (history) => {
          const expected = memoisedReferenceLinearizable(history, model)
          expect(checkLinearizable(history, { model, timeoutMs: 10_000 }).valid).toBe(
            expectedVerdict(history, expected),
          )
          seen[expected ? 'valid' : 'invalid']++
        }),
        { numRuns: 300 },
      )
      expect(seen.invalid).toBeGreaterThan(20)
      expect(seen.valid).toBeGreaterThan(20)
    })
  }
})
