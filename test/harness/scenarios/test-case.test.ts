import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { burstRateFor, SLOW_APPLY_TIME_US } from '../../../nemesis/fault-packages.js'
import { scheduleOfWindows } from '../../../nemesis/fault-windows.js'
import {
  configOfTestCase,
  drawTestCase,
  engineSpace,
  SAFE_POLICY,
  testCaseArbitrary,
  unsafeSettings,
  type TestCase,
} from '../../../harness/scenarios/test-case.js'

const SAFE_SPACE = engineSpace()
const UNSAFE_SPACE = engineSpace(undefined, undefined, true)

describe('a test as a value (drawn by explore and campaign, shrunk by fast-check)', () => {
  it('is drawn the same for the same seed, and differently across seeds', () => {
    expect(drawTestCase(SAFE_SPACE, 42)).toEqual(drawTestCase(SAFE_SPACE, 42))
    const drawn = new Set(Array.from({ length: 30 }, (_, seed) => JSON.stringify(drawTestCase(UNSAFE_SPACE, seed))))
    expect(drawn.size).toBe(30)
  })

  it('the safe space draws no policy (the base decides), the unsafe one always does', () => {
    fc.assert(fc.property(testCaseArbitrary(SAFE_SPACE), (t) => t.policy === undefined))
    fc.assert(fc.property(testCaseArbitrary(UNSAFE_SPACE), (t) => t.policy !== undefined))
  })

  it('every drawn test is a config the engine accepts, its windows its explicit schedule', () => {
    fc.assert(
      fc.property(testCaseArbitrary(UNSAFE_SPACE), (testCase) => {
        const config = configOfTestCase(testCase)
        expect(config).toMatchObject({ db: 'sim', ...testCase.settings, semiSyncReplicas: testCase.settings.replicas })
        expect(config.schedule).toEqual(
          scheduleOfWindows(testCase.faults, testCase.settings.timeLimitS * 1e9, {
            latencyMs: config.latencyMs,
            latencyJitterMs: config.latencyJitterMs,
            burstRate: burstRateFor(testCase.settings.rate),
            slowApplyTimeUs: SLOW_APPLY_TIME_US,
          }),
        )
        // MySQL's personality cannot truncate on rejoin: a drawn truncation rejoins as it is there.
        const policy = testCase.policy!
        expect(config.rejoin).toBe(policy.flavor === 'mysql' ? 'as-is' : policy.rejoin)
        expect(config.waitPoint).toBe(policy.waitPoint)
      }),
      { numRuns: 200 },
    )
  })

  it('a test case with no policy runs in the safe configuration', () => {
    const config = configOfTestCase(drawTestCase(SAFE_SPACE, 1))
    expect(config).toMatchObject(SAFE_POLICY)
    expect(unsafeSettings(undefined)).toEqual([])
    expect(unsafeSettings(SAFE_POLICY)).toEqual([])
  })

  it('names exactly the settings that differ from the safe ones', () => {
    expect(unsafeSettings({ ...SAFE_POLICY, waitPoint: 'after_commit', syncRelayLog: 0 })).toEqual([
      'waitPoint: after_commit',
      'syncRelayLog: 0',
    ])
  })

  it('shrinks each safety setting back to its safe value unless the failure needs it', () => {
    // A "failure" that needs AFTER_COMMIT and nothing else: the shrunk counterexample names only that.
    const needsAfterCommit = fc.property(testCaseArbitrary(UNSAFE_SPACE), (t) => t.policy?.waitPoint !== 'after_commit')
    const details = fc.check(needsAfterCommit, { seed: 3, numRuns: 1000 })
    expect(details.failed).toBe(true)
    const [smallest] = details.counterexample as [TestCase]
    expect(unsafeSettings(smallest.policy)).toEqual(['waitPoint: after_commit'])
    expect(smallest.faults).toEqual([])
    expect(smallest.settings).toMatchObject({ timeLimitS: 1, replicas: 1, concurrency: 1, rate: 10 })
  })

  it('real servers keep the catalogue load: their space draws only the faults, their timing and the run length', () => {
    const serverSpace = { ...SAFE_SPACE, engineLevers: false }
    fc.assert(
      fc.property(testCaseArbitrary(serverSpace), (t) => {
        expect(t.settings).toMatchObject({ replicas: 2, concurrency: 10, rate: 100, applyTimeUs: 200 })
      }),
    )
  })
})
