import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkLinearizable, MODEL_NAMES } from '../../../checkers/linearizability/index.js'
import { expectedVerdict, runSchedule, scheduleArb } from './history-gen.js'

describe('histories from random concurrent schedules run against the sequential model', () => {
  for (const model of MODEL_NAMES) {
    it(`are always linearizable (${model})`, () => {
      fc.assert(
        fc.property(scheduleArb(model, { maxSlots: 6, maxKeys: 3, maxOps: 60, maxSteps: 200 }), (schedule) => {
          const history = runSchedule(schedule)
          const result = checkLinearizable(history, { model, timeoutMs: 10_000 })
          expect(result.failures.map((f) => f.explanation)).toEqual([])
          expect(result.valid).toBe(expectedVerdict(history, true))
        }),
        { numRuns: 300 },
      )
    })
  }

  it('stay linearizable with many processes and a single key (register)', () => {
    fc.assert(
      fc.property(scheduleArb('register', { maxSlots: 12, maxKeys: 0, maxOps: 150, maxSteps: 600 }), (schedule) => {
        const history = runSchedule(schedule)
        const result = checkLinearizable(history, { model: 'register', timeoutMs: 10_000 })
        expect(result.valid).toBe(expectedVerdict(history, true))
      }),
      { numRuns: 100 },
    )
  })
})
