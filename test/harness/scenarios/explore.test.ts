import { afterEach, describe, expect, it } from 'vitest'
import { explore, unexpectedKinds } from '../../../harness/scenarios/explore.js'
import { engineSpace, SAFE_POLICY, unsafeSettings, type TestCasePolicy } from '../../../harness/scenarios/test-case.js'
import { plantBug } from '../../../systems/sim/engine/planted-bugs.js'

/** The faults that can expose a replica that acks what it has not kept: it must die, with the primary or before it. */
const FAULTS = ['kill-primary-and-replica', 'kill-replica', 'kill-primary', 'partition-replicas'] as const
/**
 * Smaller tests (runs of at most 10 s, 20 clients at 500 ops/s) and no time budget: the same draws whatever the load on
 * the machine (the CLI's own figures, with the full space, are in the README).
 */
const LIMITS = { maxTimeLimitS: 10, maxConcurrency: 20, maxRate: 500 }
const BUDGET = { numRuns: 100, timeBudgetMs: null, seed: 1, space: engineSpace(FAULTS, LIMITS) }

describe('explore: property-based search over fault schedules on the engine', () => {
  afterEach(() => plantBug('ack-before-relay-write', false))

  it('finds a planted bug (a replica acks before its relay log has the event) and shrinks it to at most 2 faults', async () => {
    plantBug('ack-before-relay-write')
    const outcome = await explore({ allowed: [], ...BUDGET })
    expect(outcome.counterexample).not.toBeNull()
    expect(outcome.kinds).toContain('lost-acked-write')
    expect(outcome.counterexample?.faults.length).toBeLessThanOrEqual(2)
    expect(outcome.shrinks).toBeGreaterThan(0)
    expect(outcome.path).toMatch(/^\d+(:\d+)*$/)
    // fast-check's seed and path replay the counterexample at once.
    const replayed = await explore({ allowed: [], ...BUDGET, seed: outcome.seed, path: outcome.path! })
    expect(replayed.counterexample).toEqual(outcome.counterexample)
    // A stated invariant that allows what it found holds on it (`--expect`).
    expect(await unexpectedKinds(outcome.counterexample!, outcome.kinds)).toEqual([])
  }, 120_000)

  it('with the switch off, the same draws find nothing (near miss: the engine as it is keeps what it acks)', async () => {
    const outcome = await explore({ allowed: [], ...BUDGET })
    expect(outcome.counterexample).toBeNull()
    expect(outcome.draws).toBe(BUDGET.numRuns)
  }, 120_000)

  it('--unsafe: finds a hazard in the safety settings and keeps only the unsafe settings it needs', async () => {
    const unsafeSpace = engineSpace(FAULTS, LIMITS, true)
    const outcome = await explore({ allowed: [], ...BUDGET, seed: 5, space: unsafeSpace })
    expect(outcome.counterexample).not.toBeNull()
    const found = outcome.counterexample!
    const policy = found.policy!
    const unsafe = unsafeSettings(policy)
    expect(unsafe.length).toBeGreaterThan(0)
    // Each unsafe setting is needed: put back to its safe value alone, the same test finds nothing (the near miss).
    for (const key of Object.keys(SAFE_POLICY) as Array<keyof TestCasePolicy>) {
      if (policy[key] === SAFE_POLICY[key]) continue
      const safer = { ...found, policy: { ...policy, [key]: SAFE_POLICY[key] } }
      expect(await unexpectedKinds(safer, []), `${key} back to ${SAFE_POLICY[key]}`).toEqual([])
    }
  }, 120_000)
})
