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
}
