import type { AnomalyKind } from '../../checkers/checker.js'
import type { TestConfig } from '../config/test-config.js'
import type { NemesisStep } from '../../nemesis/nemesis-action.js'
import type { Precondition } from './preconditions.js'

/** A wait point a scenario runs under, or `async`: semi-sync off altogether. */
export type ScenarioMode = 'after_sync' | 'after_commit' | 'async'

/** What a scenario must show under one mode: every `expected` kind found, nothing outside `expected ∪ tolerated`. */
export interface Expectation {
  expected: AnomalyKind[]
  /** Kinds that may or may not appear (side effects of the fault, e.g. a read of a write that is then lost). */
  tolerated: AnomalyKind[]
}

/**
 * One entry of the catalogue: a setup, a fault schedule and the verdict the harness must reach. A safe configuration
 * must pass clean; a known-unsafe one must be caught.
 */
export interface Scenario {
  name: string
  description: string
  /** Config over the catalogue's base (time limit, rate, …). */
  config: Partial<TestConfig>
  /** Its explicit fault schedule; absent, the config's `--nemesis` faults under `--nemesis-schedule`. */
  schedule?: NemesisStep[]
  /** The modes it runs under, each with its expectation. */
  modes: Partial<Record<ScenarioMode, Expectation>>
  /** The systems it runs on (default: all); `wait_for_slave_count` needs MySQL, which only the engine imitates. */
  backends?: Array<TestConfig['db']>
  /** Why a backend is left out, for the docs and `matrix` output. */
  note?: string
  /**
   * Why a hazard this scenario must catch shows only on some seeds (the catalogue's seeds show it): campaigns, which
   * draw fresh seeds, draw only its safe modes.
   */
  seedDependent?: string
  /** What must have happened for a row to test what it claims (timing decides it on real servers). */
  precondition?: Precondition
  /**
   * Where one system's servers behave differently from the rest (docs/reference/semisync.md §5): its own modes (they
   * replace `modes` there), config on top of the scenario's, and why.
   */
  differsOn?: Partial<Record<TestConfig['db'], SystemDifference>>
}

export interface SystemDifference {
  modes: Partial<Record<ScenarioMode, Expectation>>
  config?: Partial<TestConfig>
  why: string
}

/** The modes a scenario runs under on a system, each with what it must show there. */
export function modesOn(scenario: Scenario, db: TestConfig['db']): Partial<Record<ScenarioMode, Expectation>> {
  return scenario.differsOn?.[db]?.modes ?? scenario.modes
}
