import type { DependencyGraph } from './dependency-graph.js'
import { PROCESS } from './dependency-graph.js'
import type { Txn } from './txn.js'

/**
 * Session order: a process runs one transaction at a time, so each of its committed transactions precedes its next
 * one in the graph (failed ones in between are stepped over). Returns each node's predecessor in its process, or -1.
 */
export function addProcessEdges(graph: DependencyGraph): Int32Array {
  const previous = new Int32Array(graph.nodeCount).fill(-1)
  const lastOf = new Map<number, number>()
  // Nodes were added in invocation order, which is each process's order.
  for (let node = 0; node < graph.nodeCount; node++) {
    const process = (graph.txns[node] as Txn).process
    const before = lastOf.get(process)
    if (before !== undefined) {
      graph.addEdge(before, node, PROCESS)
      previous[node] = before
    }
    lastOf.set(process, node)
  }
  return previous
}
