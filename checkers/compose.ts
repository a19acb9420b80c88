import { HistoryFormatError } from '../core/history/history-format-error.js'
import type { Op } from '../core/history/op.js'
import type { CheckContext, CheckResult, Checker, Validity } from './checker.js'

/** Jepsen's merge: any false makes the whole false, else any 'unknown' makes it unknown; nothing to merge is true. */
export function mergeValidity(...vs: Validity[]): Validity {
  if (vs.includes(false)) return false
  if (vs.includes('unknown')) return 'unknown'
  return true
}

export type CompositeResult = CheckResult & { checkers: Record<string, CheckResult> }

/** A checker whose result keeps each part's result under `checkers`. */
export interface CompositeChecker extends Checker {
  check(history: readonly Op[], ctx: CheckContext): CompositeResult
}

/** One result out of several named ones: validity merged, anomalies concatenated in the record's order. */
export function composeResults(results: Record<string, CheckResult>): CompositeResult {
  const each = Object.values(results)
  const valid = mergeValidity(...each.map((r) => r.valid))
  const unknownReasons = Object.entries(results)
    .filter(([, r]) => r.valid === 'unknown')
    .map(([name, r]) => `${name}: ${r.reason ?? 'no reason given'}`)
  return {
    valid,
    ...(valid === 'unknown' ? { reason: unknownReasons.join('; ') } : {}),
    anomalies: each.flatMap((r) => r.anomalies),
    stats: {},
    checkers: { ...results },
  }
}

/**
 * Runs every checker and composes their results. A checker that throws yields 'unknown' with the error in its stats
 * (Jepsen's check-safe): one broken checker must not hide what the others found.
 */
export function composeCheckers(checkers: Checker[]): CompositeChecker {
  return {
    name: 'compose',
    check(history: readonly Op[], ctx: CheckContext): CompositeResult {
      const results: Record<string, CheckResult> = {}
      for (const checker of checkers) results[uniqueName(results, checker.name)] = checkSafely(checker, history, ctx)
      return composeResults(results)
    },
  }
}

function checkSafely(checker: Checker, history: readonly Op[], ctx: CheckContext): CheckResult {
  try {
    return checker.check(history, ctx)
  } catch (err) {
    // A history that breaks the format is the input's fault, not the checker's: the CLI reports it as bad input.
    if (err instanceof HistoryFormatError) throw err
    const message = err instanceof Error ? err.message : String(err)
    return { valid: 'unknown', reason: `the checker crashed: ${message}`, anomalies: [], stats: { error: message } }
  }
}

/** Two checkers of the same name (e.g. one per key) must not overwrite each other's result. */
function uniqueName(taken: Record<string, unknown>, name: string): string {
  if (!(name in taken)) return name
  let n = 2
  while (`${name}#${n}` in taken) n++
  return `${name}#${n}`
}
