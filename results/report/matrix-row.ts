import type { AnomalyKind } from '../../checkers/checker.js'

/** One judged row of a scenario matrix: what was expected, what was found, and whether it passed. */
export interface MatrixRow {
  scenario: string
  db: string
  /** The scenario's mode: a wait point, or `async`. */
  waitPoint: 'after_sync' | 'after_commit' | 'async'
  seed: number
  expected: AnomalyKind[]
  tolerated: AnomalyKind[]
  found: AnomalyKind[]
  pass: boolean
  valid: boolean | 'unknown'
  runDir: string | null
  /** Why the row failed, in words. */
  reason?: string
  /**
   * Set when the row could not be judged: the run failed to run (a server would not start, …), or its precondition
   * never happened. Such a row is neither a pass nor a verdict on the system.
   */
  error?: string
  /** Set (with `error`) when the row's precondition never happened: it proved nothing either way. */
  inconclusive?: boolean
  /** Runs it took (more than one only when an attempt's precondition demonstrably did not happen). */
  attempts?: number
  /** Why earlier attempts were run again, one line each. */
  retried?: string[]
}
