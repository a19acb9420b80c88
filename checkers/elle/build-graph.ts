import type { AppendIndex } from './append-index.js'
import { addDataEdges } from './data-edges.js'
import { DependencyGraph } from './dependency-graph.js'
import type { ExternalRead } from './internal-consistency.js'
import { addProcessEdges } from './process-edges.js'
import { addRealtimeEdges } from './realtime-edges.js'
import type { Txn } from './txn.js'
import type { VersionOrders } from './version-orders.js'

/**
 * The dependency graph over the transactions known to have committed: the ok ones, and the uncertain ones (`info`,
 * pending) some read proves took effect. Failed transactions stay out (reading them is G1a). Of the final phase only
 * the primary's read takes part: a replica's final read is the state of a node clients did not use, it is checked
 * against the version orders but orders no transaction.
 */
export function buildGraph(
  txns: readonly Txn[],
  primaryFinal: Txn | null,
  versions: VersionOrders,
  externalReads: readonly ExternalRead[],
  appends: AppendIndex,
): DependencyGraph {
  const graph = new DependencyGraph(txns.length)
  for (const txn of txns) {
    const committed =
      txn.outcome === 'ok'
        ? !txn.final || txn === primaryFinal
        : txn.outcome !== 'fail' && versions.observedUncertain.has(txn)
    if (committed) graph.addNode(txn)
  }
  addDataEdges(graph, versions.orders, externalReads, appends)
  const processPrevious = addProcessEdges(graph)
  addRealtimeEdges(graph, processPrevious)
  graph.freeze()
  return graph
}
