import type { Op } from '../../core/history/op.js'
import type { Anomaly, CheckContext, CheckResult, Checker } from '../checker.js'
import { checkLinearizable } from './check-linearizable.js'
import type { LinearizabilityOptions, LinearizabilityResult } from './types.js'

/**
 * The linearizability checker as the harness composes checkers: one `nonlinearizable` anomaly per failing key, with
 * the explanation as evidence. The time and memory budgets yield 'unknown' with the reason.
 */
export class LinearizabilityChecker implements Checker {
  readonly name = 'linearizable'

  constructor(private readonly options: LinearizabilityOptions) {}

  check(history: readonly Op[], _ctx?: CheckContext): CheckResult {
    // A history the checker cannot read throws HistoryFormatError: bad input, which compose passes on.
    const result: LinearizabilityResult = checkLinearizable(history, this.options)
    const anomalies: Anomaly[] = result.failures.map((failure) => ({
      kind: 'nonlinearizable',
      message: failure.message,
      evidence: { ...failure },
    }))
    return {
      valid: result.valid,
      ...(result.valid === 'unknown' && result.reason !== undefined ? { reason: result.reason } : {}),
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
