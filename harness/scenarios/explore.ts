import fc from 'fast-check'
import type { AnomalyKind } from '../../checkers/checker.js'
import { runTest } from '../run/run-test.js'
import { configOfTestCase, testCaseArbitrary, type TestCase, type TestSpace } from './test-case.js'

export interface ExploreOptions {
  /** What to draw from (`engineSpace`): faults, sizes, and with `--unsafe` the safety settings too. */
  space: TestSpace
  /** Anomaly kinds the property tolerates (`--expect`); none by default: a safe configuration shows nothing. */
  allowed: readonly AnomalyKind[]
  numRuns: number
  /** Stop drawing (and shrinking) after this long; null for no limit. */
  timeBudgetMs: number | null
  /** fast-check's seed, and the path of a counterexample to replay (`--seed`, `--path`). */
  seed: number
  path?: string
  /** Called after each run of the property: how many so far, and whether a counterexample is being shrunk. */
  onRun?: (runs: number, shrinking: boolean) => void
}

export interface ExploreOutcome {
  /** The smallest failing test fast-check shrank to, or null when every run held. */
  counterexample: TestCase | null
  /** What the counterexample found beyond what is allowed. */
  kinds: AnomalyKind[]
  /** Runs of the property, shrinking included. */
  runs: number
  /** Draws that passed before the first failure (fast-check's numRuns). */
  draws: number
  shrinks: number
  seed: number
  /** fast-check's path to the counterexample: `explore --seed <seed> --path <path>` replays it. */
  path: string | null
  /** The time budget ran out (before a counterexample, or while shrinking one). */
  interrupted: boolean
}

/** The kinds a test case's engine run finds beyond `allowed` (a run, in memory, of its config). */
export async function unexpectedKinds(testCase: TestCase, allowed: readonly AnomalyKind[]): Promise<AnomalyKind[]> {
  const outcome = await runTest(configOfTestCase(testCase), { inMemory: true })
  const kinds = new Set(outcome.results.anomalies.map((a) => a.kind))
  return [...kinds].filter((k) => !allowed.includes(k)).sort()
}

/**
 * Property-based search over fault schedules on the engine (fast-check's `check`): draws test cases, runs each, and
 * on the first that finds an anomaly outside `allowed`, shrinks it to the smallest test that still does.
 */
export async function explore(options: ExploreOptions): Promise<ExploreOutcome> {
  let runs = 0
  let shrinking = false
  // What each failing test found, so the counterexample's kinds need no run of their own.
  const failures = new Map<string, AnomalyKind[]>()
  const property = fc.asyncProperty(testCaseArbitrary(options.space), async (testCase) => {
    const kinds = await unexpectedKinds(testCase, options.allowed)
    runs++
    options.onRun?.(runs, shrinking)
    if (kinds.length > 0) {
      shrinking = true
      failures.set(JSON.stringify(testCase), kinds)
    }
    return kinds.length === 0
  })
  const details = await fc.check(property, {
    numRuns: options.numRuns,
    seed: options.seed,
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(options.timeBudgetMs === null ? {} : { interruptAfterTimeLimit: options.timeBudgetMs }),
    markInterruptAsFailure: false,
  })
  const counterexample = details.failed && details.counterexample ? details.counterexample[0] : null
  return {
    counterexample,
    kinds: counterexample
      ? (failures.get(JSON.stringify(counterexample)) ?? (await unexpectedKinds(counterexample, options.allowed)))
      : [],
    runs,
    draws: details.numRuns,
    shrinks: details.numShrinks,
    seed: details.seed,
    path: details.failed ? details.counterexamplePath : null,
    interrupted: details.interrupted,
  }
}
