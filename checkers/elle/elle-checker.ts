import type { Op } from '../../core/history/op.js'
import type { CheckContext, CheckResult, Checker } from '../checker.js'
import { findAbortedReads } from './aborted-reads.js'
import { AppendIndex } from './append-index.js'
import { buildGraph } from './build-graph.js'
import { findCycleAnomalies } from './cycle-anomalies.js'
import { primaryFinalRead } from './final-state.js'
import { MAX_ANOMALIES_PER_KIND } from '../capped-anomalies.js'
import { FoundAnomalies } from './found-anomalies.js'
import { checkInternalConsistency } from './internal-consistency.js'
import { findIntermediateReads } from './intermediate-reads.js'
import type { IsolationLevel } from './isolation.js'
import { DEFAULT_ISOLATION, proscribedAt } from './isolation.js'
import { readsByKey } from './key-reads.js'
import { findLostAppends } from './lost-appends.js'
import { findLostUpdates } from './lost-updates.js'
import { parseTxns } from './parse-txns.js'
import type { Txn } from './txn.js'
import { inferVersionOrders } from './version-orders.js'

export interface ElleOptions {
  /** The level the history must satisfy; anomalies it allows are counted in stats only. Default: serializable. */
  isolation?: IsolationLevel
}

/**
 * Elle's list-append checker (Kingsbury & Alvaro, VLDB 2020), re-implemented: transactions append unique integers to
 * lists and read whole lists, so every read reveals its key's version order and every element its writer. From those
 * it infers Adya's dependency graph and finds its cycles, and checks what needs no graph (aborted and intermediate
 * reads, lost updates, internal consistency, lost acknowledged appends). See docs/history-format.md for the history.
 */
export class ElleChecker implements Checker {
  readonly name = 'elle'
  readonly isolation: IsolationLevel

  constructor(options: ElleOptions = {}) {
    this.isolation = options.isolation ?? DEFAULT_ISOLATION
  }

  check(history: readonly Op[], _ctx?: CheckContext): CheckResult {
    const txns = parseTxns(history)
    const appends = new AppendIndex(txns)
    const found = new FoundAnomalies(proscribedAt(this.isolation))

    const externalReads = checkInternalConsistency(txns, found, {
      nonRepeatableReads: this.isolation === 'read-committed',
    })
    const reads = readsByKey(txns)
    const versions = inferVersionOrders(reads, appends, found)
    findAbortedReads(reads, versions.orders, appends, found)
    findIntermediateReads(externalReads, appends, found)
    findLostUpdates(externalReads, found)
    const primaryFinal = primaryFinalRead(txns)
    const lost = findLostAppends(txns, primaryFinal, appends, found)

    const graph = buildGraph(txns, primaryFinal, versions, externalReads, appends)
    const cycles = findCycleAnomalies(graph, found)

    const clientOk = txns.filter((txn) => txn.outcome === 'ok' && !txn.final).length
    const stats = {
      isolation: this.isolation,
      txns: txnCounts(txns),
      keys: new Set([...appends.keys(), ...reads.keys()]).size,
      lostAppends: lost,
      graph: { nodes: graph.nodeCount, edges: graph.countByType() },
      cycles,
      anomalyCounts: found.counts(true),
      allowedAnomalyCounts: found.counts(false),
      allowedAnomalyExamples: found.allowedExamples(),
      anomaliesListedPerKind: MAX_ANOMALIES_PER_KIND,
    }
    const anomalies = found.list()
    if (found.proscribedTotal() > 0) return { valid: false, anomalies, stats }
    if (clientOk === 0) {
      return {
        valid: 'unknown',
        reason: 'no client transaction completed ok, so nothing shows what the database did',
        anomalies,
        stats,
      }
    }
    return { valid: true, anomalies, stats }
  }
}

function txnCounts(txns: readonly Txn[]): Record<string, number> {
  const counts = { total: txns.length, ok: 0, fail: 0, info: 0, pending: 0, final: 0 }
  for (const txn of txns) {
    if (txn.final) counts.final++
    else counts[txn.outcome]++
  }
  return counts
}
