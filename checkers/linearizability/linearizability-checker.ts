import type { Op } from '../../core/history/op.js'
import type { Anomaly, CheckContext, CheckResult, Checker } from '../checker.js'
import { checkLinearizable } from './check-linearizable.js'
import { HistoryFormatError } from '../../core/history/history-format-error.js'
import type { LinearizabilityOptions, LinearizabilityResult } from './types.js'

/**
 * The linearizability checker as the harness composes checkers: one `nonlinearizable` anomaly per failing key, with
 * the explanation as evidence. A history the checker cannot read yields 'unknown' with the error in its stats
 * (Jepsen's check-safe), as do the time and memory budgets.
 */
export class LinearizabilityChecker implements Checker {
  readonly name = 'linearizable'

  constructor(private readonly options: LinearizabilityOptions) {}

  check(history: readonly Op[], _ctx?: CheckContext): CheckResult {
    let result: LinearizabilityResult
    try {
      result = checkLinearizable(history, this.options)
    } catch (error) {
      if (!(error instanceof HistoryFormatError)) throw error
      return { valid: 'unknown', anomalies: [], stats: { model: this.options.model, error: error.message } }
    }
    const anomalies: Anomaly[] = result.failures.map((failure) => ({
      kind: 'nonlinearizable',
      message: failure.message,
      evidence: { ...failure },
    }))
    return {
      valid: result.valid,
      anomalies,
      stats: {
        model: result.model,
        ...(result.reason !== undefined ? { reason: result.reason } : {}),
        keys: result.keys,
        failuresOmitted: result.failuresOmitted,
        unknownKeys: result.unknownKeys,
        ...result.stats,
      },
    }
  }
}
