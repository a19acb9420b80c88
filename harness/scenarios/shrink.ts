import fc from 'fast-check'
import type { AnomalyKind } from '../../checkers/checker.js'
import type { NemesisStep } from '../../nemesis/nemesis-action.js'
import { type TestConfig } from '../config/test-config.js'
import { validateConfig } from '../config/validate-config.js'
import { runTest } from '../run/run-test.js'
import { scheduleOf } from '../run/schedule-of.js'
import type { StoredTestCase } from './test-case-file.js'
import { testCaseArbitrary, testCaseOverrides, unsafeSettings, type TestCase } from './test-case.js'

export interface ShrinkOptions {
  /** The failing test (programs already chosen by the caller: a stored file never names one). */
  config: TestConfig
  /** The anomaly kinds that must all still be found for a smaller test to count. */
  target: readonly AnomalyKind[]
  /** Runs per candidate: on real servers timing differs, and one run showing the anomaly is enough. */
  attempts: number
  /** Stop trying smaller tests after this long (the smallest so far is kept); null for no limit. */
  budgetMs: number | null
  /**
   * The test case the run was drawn as (`explore`, `campaign`): then fast-check shrinks it within its space, as it
   * shrinks what `explore` finds. Absent, the stored schedule is delta-debugged.
   */
  testCase?: StoredTestCase | null
  /** Each accepted step, as it is taken. */
  onStep?: (step: ShrinkStep, runs: number) => void
  /** Each candidate run. */
  onRun?: (runs: number) => void
}

/** One step that made the test smaller: what changed, from what to what. */
export interface ShrinkStep {
  what: string
  from: string
  to: string
}

export interface ShrinkOutcome {
  /** The smallest test found, its schedule explicit. */
  config: TestConfig
  /** How: fast-check from the stored test case, or delta debugging over the schedule. */
  method: 'fast-check' | 'ddmin'
  /** The smallest test case, when a stored one was shrunk. */
  testCase?: TestCase
  steps: ShrinkStep[]
  /** Candidate runs made. */
  runs: number
  /** The budget ended the search early. */
  interrupted: boolean
}

/** The steps of one instant of one lane: a fault's start or its heal (the unit the schedule shrinks by). */
type StepGroup = NemesisStep[]

/**
 * Makes a failing test smaller while every `target` kind is still found. A run drawn as a test case is shrunk by
 * fast-check within its space (`shrinkTestCase`). Any other run's schedule, drawn by the nemesis from a seed or
 * written by hand, is a list and not a value a generator made: delta debugging (Zeller's ddmin) over its instants,
 * then its timing, then the numbers one at a time, each to the smallest value that still fails: time limit, clients,
 * rate, replicas. Passes repeat while something shrank.
 */
export async function shrink(options: ShrinkOptions): Promise<ShrinkOutcome> {
  const started = performance.now()
  const overBudget = (): boolean => options.budgetMs !== null && performance.now() - started > options.budgetMs
  let runs = 0
  const steps: ShrinkStep[] = []
  const fails = async (candidate: Record<string, unknown>): Promise<boolean> => {
    let config: TestConfig
    try {
      config = validateConfig(candidate)
    } catch {
      return false
    }
    for (let attempt = 0; attempt < options.attempts; attempt++) {
      runs++
      options.onRun?.(runs)
      try {
        const { results } = await runTest(config, { inMemory: true })
        const kinds = new Set(results.anomalies.map((a) => a.kind))
        if (options.target.every((k) => kinds.has(k))) return true
      } catch {
        return false
      }
    }
    return false
  }
  const accept = (step: ShrinkStep): void => {
    steps.push(step)
    options.onStep?.(step, runs)
  }

  if (options.testCase) {
    const outcome = await shrinkTestCase(options.testCase, options.config, fails, accept, overBudget)
    if (outcome === null) {
      throw new Error(`the run did not find ${options.target.join(', ')} again: there is nothing to shrink`)
    }
    return { ...outcome, steps: mergedSteps(steps), runs, interrupted: overBudget() }
  }
  const { schedule: _drawn, ...rest } = options.config
  let current: Record<string, unknown> = { ...rest, schedule: scheduleOf(options.config) }
  if (!(await fails(current))) {
    throw new Error(`the run did not find ${options.target.join(', ')} again: there is nothing to shrink`)
  }
  for (let pass = 0; pass < 3 && !overBudget(); pass++) {
    const before = steps.length
    // The schedule: fewer instants (each a fault's start or heal).
    const groups = groupsOf(current.schedule as NemesisStep[])
    const kept = await ddmin(groups, (subset) => fails({ ...current, schedule: subset.flat() }), overBudget)
    if (kept.length < groups.length) {
      accept({ what: 'schedule', from: describeGroups(groups), to: describeGroups(kept) })
      current = { ...current, schedule: kept.flat() }
    }
    // The timing: the first fault earlier, and each gap between instants halved (faults shorter, the run shorter).
    const timed = await compressTiming(current, fails, overBudget)
    if (timed !== current) {
      accept({
        what: 'schedule timing',
        from: describeGroups(groupsOf(current.schedule as NemesisStep[])),
        to: describeGroups(groupsOf(timed.schedule as NemesisStep[])),
      })
      current = timed
    }
    // The numbers, each to the smallest value that still fails.
    const lastStepS = Math.max(0, ...(current.schedule as NemesisStep[]).map((s) => s.atNs)) / 1e9
    const numbers: Array<{ key: string; what: string; candidates: number[] }> = [
      { key: 'timeLimitS', what: 'time limit (s)', candidates: [Math.ceil(lastStepS) + 1, Math.ceil(lastStepS) + 3] },
      { key: 'concurrency', what: 'clients', candidates: [1, 2, 3, 5, 10] },
      { key: 'rate', what: 'rate (ops/s)', candidates: [10, 25, 50, 100, 200, 500] },
      { key: 'replicas', what: 'replicas', candidates: [1, 2] },
    ]
    for (const { key, what, candidates } of numbers) {
      const value = current[key] as number
      for (const candidate of candidates.filter((c) => c < value).sort((a, b) => a - b)) {
        if (overBudget()) break
        const changed = {
          ...current,
          [key]: candidate,
          ...(key === 'replicas' ? { semiSyncReplicas: Math.min(candidate, current.semiSyncReplicas as number) } : {}),
        }
        if (await fails(changed)) {
          accept({ what, from: String(value), to: String(candidate) })
          current = changed
          break
        }
      }
    }
    if (steps.length === before) break
  }
  return { config: validateConfig(current), method: 'ddmin', steps, runs, interrupted: overBudget() }
}

/**
 * fast-check's shrinking from a stored value: the value is the one example of a property over its space's arbitrary
 * that holds while the target is not found; fast-check then tries smaller values of that arbitrary, keeping each that
 * still fails. Each kept value is a step, told as the fields that changed.
 */
async function shrinkTestCase(
  stored: StoredTestCase,
  config: TestConfig,
  fails: (candidate: Record<string, unknown>) => Promise<boolean>,
  accept: (step: ShrinkStep) => void,
  overBudget: () => boolean,
): Promise<Pick<ShrinkOutcome, 'config' | 'method' | 'testCase'> | null> {
  const { schedule: _stored, ...base } = config
  const configFor = (testCase: TestCase): Record<string, unknown> => ({
    ...base,
    ...testCaseOverrides(testCase, base),
  })
  let smallest: TestCase | null = null
  const property = fc.asyncProperty(testCaseArbitrary(stored.space), async (candidate) => {
    // Past the budget every candidate "passes", so fast-check ends with the smallest kept so far.
    if (smallest !== null && overBudget()) return true
    if (!(await fails(configFor(candidate)))) return true
    if (smallest !== null) for (const step of testCaseChanges(smallest, candidate)) accept(step)
    smallest = candidate
    return false
  })
  await fc.check(property, { examples: [[stored.testCase]], numRuns: 1 })
  // The stored value itself no longer fails: nothing to shrink.
  if (smallest === null) return null
  return { config: validateConfig(configFor(smallest)), method: 'fast-check', testCase: smallest }
}

/** What changed from one test case to the next, a step per field (the faults as one). */
function testCaseChanges(from: TestCase, to: TestCase): ShrinkStep[] {
  const steps: ShrinkStep[] = []
  const settingNames: Record<keyof TestCase['settings'], string> = {
    timeLimitS: 'time limit (s)',
    seed: 'seed',
    replicas: 'replicas',
    concurrency: 'clients',
    rate: 'rate (ops/s)',
    applyTimeUs: 'apply time (µs)',
  }
  for (const [key, what] of Object.entries(settingNames) as Array<[keyof TestCase['settings'], string]>)
    if (from.settings[key] !== to.settings[key])
      steps.push({ what, from: String(from.settings[key]), to: String(to.settings[key]) })
  const fromUnsafe = unsafeSettings(from.policy).join(', ') || 'safe'
  const toUnsafe = unsafeSettings(to.policy).join(', ') || 'safe'
  if (fromUnsafe !== toUnsafe) steps.push({ what: 'unsafe settings', from: fromUnsafe, to: toUnsafe })
  const windows = (t: TestCase): string =>
    t.faults.map((w) => `${w.fault} at ${w.atMs} ms for ${w.durationMs} ms`).join(', ') || 'no fault'
  if (windows(from) !== windows(to)) steps.push({ what: 'faults', from: windows(from), to: windows(to) })
  return steps
}

/** fast-check takes many small steps (a number halved, then halved again): one per field from first to last. */
function mergedSteps(steps: readonly ShrinkStep[]): ShrinkStep[] {
  const merged = new Map<string, ShrinkStep>()
  for (const step of steps) {
    const earlier = merged.get(step.what)
    merged.set(step.what, earlier ? { ...earlier, to: step.to } : { ...step })
  }
  return [...merged.values()].filter((step) => step.from !== step.to)
}

/** The smallest gap the timing pass leaves between two instants, and before the first. */
const MIN_GAP_NS = 100_000_000

/**
 * Moves the schedule's instants earlier while the test still fails: first the whole schedule (the first instant to
 * half its time), then each later instant with the ones after it (its gap to the previous halved), a few rounds.
 */
async function compressTiming(
  config: Record<string, unknown>,
  fails: (candidate: Record<string, unknown>) => Promise<boolean>,
  stop: () => boolean,
): Promise<Record<string, unknown>> {
  let current = config
  const shifted = (from: number, byNs: number): Record<string, unknown> => {
    const groups = groupsOf(current.schedule as NemesisStep[])
    const cut = groups[from]?.[0]?.atNs ?? Infinity
    const schedule = (current.schedule as NemesisStep[]).map((step) =>
      step.atNs >= cut ? { ...step, atNs: step.atNs - byNs } : step,
    )
    return { ...current, schedule }
  }
  for (let round = 0; round < 4 && !stop(); round++) {
    let moved = false
    const times = [...new Set((current.schedule as NemesisStep[]).map((s) => s.atNs))].sort((a, b) => a - b)
    for (let i = 0; i < times.length && !stop(); i++) {
      const gap = (times[i] as number) - (i === 0 ? 0 : (times[i - 1] as number))
      const by = Math.floor(gap / 2)
      if (gap - by < MIN_GAP_NS || by <= 0) continue
      const groupIndex = groupsOf(current.schedule as NemesisStep[]).findIndex((g) => g[0]?.atNs === times[i])
      const candidate = shifted(groupIndex, by)
      if (await fails(candidate)) {
        current = candidate
        moved = true
        break
      }
    }
    if (!moved) break
  }
  return current
}

function groupsOf(schedule: readonly NemesisStep[]): StepGroup[] {
  const groups = new Map<string, StepGroup>()
  for (const step of schedule) {
    const key = `${step.lane ?? 0}@${step.atNs}`
    const group = groups.get(key)
    if (group) group.push(step)
    else groups.set(key, [step])
  }
  return [...groups.values()]
}

function describeGroups(groups: readonly StepGroup[]): string {
  if (groups.length === 0) return 'no fault'
  return groups
    .map((g) => `${g.map((s) => s.action.f).join('+')} at ${((g[0]?.atNs ?? 0) / 1e9).toFixed(2)} s`)
    .join(', ')
}

/**
 * Zeller's ddmin: the smallest subset (1-minimal: removing any one element passes) of `items` for which `failing`
 * holds, given that it holds for all of them. Order is kept.
 */
export async function ddmin<T>(
  items: readonly T[],
  failing: (subset: T[]) => Promise<boolean>,
  stop: () => boolean = () => false,
): Promise<T[]> {
  let current = [...items]
  let granularity = 2
  while (current.length >= 2 && !stop()) {
    const size = Math.ceil(current.length / granularity)
    const chunks: T[][] = []
    for (let i = 0; i < current.length; i += size) chunks.push(current.slice(i, i + size))
    let reduced = false
    for (const chunk of chunks) {
      if (stop()) break
      if (chunks.length > 1 && (await failing(chunk))) {
        current = chunk
        granularity = 2
        reduced = true
        break
      }
    }
    if (!reduced) {
      for (let i = 0; i < chunks.length && !stop(); i++) {
        const complement = chunks.filter((_, j) => j !== i).flat()
        if (await failing(complement)) {
          current = complement
          granularity = Math.max(granularity - 1, 2)
          reduced = true
          break
        }
      }
    }
    if (!reduced) {
      if (granularity >= current.length) break
      granularity = Math.min(current.length, granularity * 2)
    }
  }
  // A single element left: the empty set may fail too (the anomaly needs no fault).
  if (current.length === 1 && !stop() && (await failing([]))) return []
  return current
}
