import type { Op } from '../core/history/op.js'

/** Jepsen's tri-state validity. `compose` ranks false > 'unknown' > true. */
export type Validity = true | false | 'unknown'

/**
 * Dependency cycles of the list-append checker (checkers/elle) that hold only because of the order clients saw
 * operations complete in: a process's own order, or real time.
 */
export const ORDER_VARIANT_KINDS = [
  'G0-process',
  'G1c-process',
  'G-single-process',
  'G2-item-process',
  'G0-realtime',
  'G1c-realtime',
  'G-single-realtime',
  'G2-item-realtime',
] as const

/** The kinds of anomaly the checkers report; the same names appear in results.json and the scenario catalogue. */
export const ANOMALY_KINDS = [
  'lost-acked-write',
  'phantom-read',
  'stale-read',
  'divergence',
  'unexpected',
  'duplicate',
  'nonlinearizable',
  'status-mismatch',
  // The list-append transaction checker (checkers/elle): Adya's phenomena as Elle infers them.
  'G0',
  'G1a',
  'G1b',
  'G1c',
  'G-single',
  'G2-item',
  ...ORDER_VARIANT_KINDS,
  'lost-update',
  'internal',
  'duplicate-append',
  'incompatible-order',
] as const
export type AnomalyKind = (typeof ANOMALY_KINDS)[number]

/** One anomaly with the evidence a person needs to understand it. */
export interface Anomaly {
  kind: AnomalyKind
  /** A one-line human explanation. */
  message: string
  /** Kind-specific evidence (element, invoke/ok times and indices, nodes, the failover that lost it, …). */
  evidence: Record<string, unknown>
}

export interface CheckResult {
  valid: Validity
  /** Why the verdict is 'unknown' (a checker that crashed, a budget spent, nothing to check); always set then. */
  reason?: string
  anomalies: Anomaly[]
  /** Figures worth printing: counts of ok/info/fail adds, recovered elements, etc. */
  stats: Record<string, unknown>
}

/** What a checker may know besides the history. */
export interface CheckContext {
  /** The wait point the run used, when known (informational). */
  waitPoint?: string
}

export interface Checker {
  readonly name: string
  check(history: readonly Op[], ctx: CheckContext): CheckResult
}
