import type { DependencyGraph } from './dependency-graph.js'
import { REALTIME } from './dependency-graph.js'
import type { Txn } from './txn.js'

/**
 * Real-time order: a transaction that completed before another was invoked precedes it. All such pairs would be
 * quadratic; like Elle, link each invocation only to the frontier: the completed transactions that no completed
 * transaction invoked after them follows yet. When a transaction completes it replaces in the frontier everything
 * that was in it at its invocation (those reach later ones through it), so every real-time pair stays connected by a
 * path, and the frontier stays about as large as the number of processes.
 *
 * Only `ok` transactions complete; an `info` or pending one may commit at any later moment, so it only receives
 * edges. An edge a process edge already gives is left out.
 */
export function addRealtimeEdges(graph: DependencyGraph, processPrevious: Int32Array): void {
  const n = graph.nodeCount
  const byCompletion: number[] = []
  for (let node = 0; node < n; node++) if (completionIndex(graph.txns[node] as Txn) >= 0) byCompletion.push(node)
  byCompletion.sort((a, b) => completionIndex(graph.txns[a] as Txn) - completionIndex(graph.txns[b] as Txn))

  const frontier = new Set<number>()
  const predecessorsFrom = new Int32Array(n)
  const predecessorsTo = new Int32Array(n)
  let predecessors = new Int32Array(1024)
  let size = 0
  let next = 0
  // Nodes are in invocation order; completions are merged in by index.
  for (let node = 0; node <= n; node++) {
    const invokedAt = node < n ? (graph.txns[node] as Txn).invoke.index : Infinity
    for (; next < byCompletion.length; next++) {
      const done = byCompletion[next] as number
      if (completionIndex(graph.txns[done] as Txn) > invokedAt) break
      for (let i = predecessorsFrom[done] as number; i < (predecessorsTo[done] as number); i++) {
        frontier.delete(predecessors[i] as number)
      }
      frontier.add(done)
    }
    if (node === n) break
    predecessorsFrom[node] = size
    for (const before of frontier) {
      if (size === predecessors.length) {
        const grown = new Int32Array(size * 2)
        grown.set(predecessors)
        predecessors = grown
      }
      predecessors[size++] = before
      if (processPrevious[node] !== before) graph.addEdge(before, node, REALTIME)
    }
    predecessorsTo[node] = size
  }
}

function completionIndex(txn: Txn): number {
  return txn.outcome === 'ok' && txn.completion !== null ? txn.completion.index : -1
}
