import type { Op } from '../../core/history/op.js'
import { budgetFrom } from './budget.js'
import { explainFailure } from './explain.js'
import { createModel } from './models/index.js'
import { pairClientOps } from './pair-ops.js'
import { partitionByKey } from './partition-by-key.js'
import { buildSearchProblem } from './search-problem.js'
import { selectOps } from './select-ops.js'
import type {
  KeyFailure,
  KeyUnknown,
  LinearizabilityOptions,
  LinearizabilityResult,
  LinearizabilityStats,
} from './types.js'
import { searchLinearization } from './wgl-search.js'

/** Failures and unknown keys listed in full; the counts stay exact. */
export const MAX_LISTED_KEYS = 20

/**
 * Checks a history against a sequential model, key by key (a history is linearizable iff each key's sub-history is).
 * Only client ops count; nemesis ops are ignored. `ok` ops took effect between invocation and completion; `fail` ops
 * never did; `info` ops and ops that never completed may take effect at any time after their invocation, or never.
 *
 * The verdict is false if any key is not linearizable, else 'unknown' if the time or memory budget ran out on some
 * key, else true. Throws `HistoryFormatError` when the history breaks the contract (e.g. a completion with no
 * invocation, or an op the model does not know).
 */
export function checkLinearizable(history: readonly Op[], options: LinearizabilityOptions): LinearizabilityResult {
  const start = performance.now()
  const budget = budgetFrom(options, start)
  const paired = pairClientOps(history)
  const partitions = partitionByKey(paired)
  const stats: LinearizabilityStats = {
    clientOps: paired.length,
    okOps: paired.filter((op) => op.outcome === 'ok').length,
    unknownOps: paired.filter((op) => op.outcome === 'unknown').length,
    failOps: paired.filter((op) => op.outcome === 'fail').length,
    unknownReadsDropped: 0,
    unknownUpdatesPruned: 0,
    searchedOps: 0,
    configs: 0,
    maxConfigsPerKey: 0,
    steps: 0,
    elapsedMs: 0,
  }
  const failures: KeyFailure[] = []
  const unknowns: KeyUnknown[] = []
  let nonlinearizable = 0
  let unchecked = 0

  for (const partition of partitions) {
    const key = partition.key ?? null
    if (performance.now() > budget.deadline) {
      unchecked++
      continue
    }
    const model = createModel(options.model)
    const selected = selectOps(partition.ops, model)
    stats.unknownReadsDropped += selected.unknownReads
    stats.unknownUpdatesPruned += selected.prunedUnknowns
    stats.searchedOps += selected.kept.length
    const problem = buildSearchProblem(model, selected.kept)
    const outcome = searchLinearization(problem, budget)
    stats.configs += outcome.configs
    stats.steps += outcome.steps
    stats.maxConfigsPerKey = Math.max(stats.maxConfigsPerKey, outcome.configs)
    if (outcome.verdict === 'nonlinearizable') {
      nonlinearizable++
      if (failures.length < MAX_LISTED_KEYS) failures.push(explainFailure(problem, partition.key, outcome.deepest))
    } else if (outcome.verdict === 'unknown') {
      const reason =
        outcome.reason === 'timeout'
          ? `time budget of ${options.timeoutMs ?? 'the default'} ms ran out after ${outcome.configs} configurations`
          : `more than ${budget.maxConfigs} memoised configurations (the maxCacheEntries budget)`
      unknowns.push({
        key,
        reason: `${reason}; the longest linearizable prefix found had ${outcome.deepest.depth} ops`,
      })
    }
  }

  const unknownCount = unknowns.length + unchecked
  stats.elapsedMs = performance.now() - start
  const reasons = unknowns.map((u) => `${u.key === null ? 'the history' : `key ${JSON.stringify(u.key)}`}: ${u.reason}`)
  if (unchecked > 0) reasons.push(`${unchecked} key(s) not checked: the time budget was spent`)
  // Nothing to check is no evidence of linearizability.
  const nothingChecked = paired.length === 0
  if (nothingChecked) reasons.push('the history has no client operations: nothing was checked')
  return {
    valid: nonlinearizable > 0 ? false : unknownCount > 0 || nothingChecked ? 'unknown' : true,
    model: options.model,
    ...(reasons.length > 0 ? { reason: reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? '; …' : '') } : {}),
    keys: {
      total: partitions.length,
      linearizable: partitions.length - nonlinearizable - unknownCount,
      nonlinearizable,
      unknown: unknownCount,
    },
    failures,
    failuresOmitted: nonlinearizable - failures.length,
    unknownKeys: unknowns.slice(0, MAX_LISTED_KEYS),
    stats,
  }
}
