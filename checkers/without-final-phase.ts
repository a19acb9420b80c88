import type { Op } from '../core/history/op.js'
import type { CheckContext, CheckResult, Checker } from './checker.js'

/**
 * Runs a checker on the history without the final phase's reads. Those read every node, replicas included, which
 * lag by design and are no part of what clients saw: they belong to the divergence checker, not to a model check.
 */
export function withoutFinalPhase(checker: Checker): Checker {
  return {
    name: checker.name,
    check(history: readonly Op[], ctx: CheckContext): CheckResult {
      return checker.check(
        history.filter((op) => op.final !== true),
        ctx,
      )
    },
  }
}
