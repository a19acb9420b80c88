import type { Append, AppendIndex } from './append-index.js'
import type { DependencyGraph } from './dependency-graph.js'
import { RW, WR, WW } from './dependency-graph.js'
import type { ExternalRead } from './internal-consistency.js'
import type { Key } from './txn.js'
import type { KeyOrder } from './version-orders.js'

/**
 * Adya's dependencies between committed transactions, inferred from each key's version order:
 *  - ww: T1 appended an element and T2 appended the next one in the order;
 *  - wr: T2 read a version whose last element T1 appended;
 *  - rw (anti-dependency): T1 read a version and T2 appended the element that follows it.
 * Elements of transactions outside the graph (failed ones, garbage) are stepped over: the order still says which
 * committed append came after which.
 *
 * A committed append no read returned is still in the order, after everything read (a read that came after it
 * would hold it, appends only add at the end). On a key whose reads all agree, that places it: after the last read
 * element (ww) and after every read of the whole order (rw). Without this, a transaction that saw another's writes
 * on one key but not its append on another would pass unnoticed. (Committed: acknowledged, or uncertain but shown
 * by a read of another of its appends.)
 */
export function addDataEdges(
  graph: DependencyGraph,
  orders: ReadonlyMap<Key, KeyOrder>,
  externalReads: readonly ExternalRead[],
  appends: AppendIndex,
): void {
  const unobservedByKey = new Map<Key, Append[]>()
  const nextWriterAt = new Map<Key, Int32Array>()
  for (const order of orders.values()) {
    const { key, appends: traced } = order
    let previous: Append | null = null
    let previousNode = -1
    for (const append of traced) {
      const node = append === undefined ? -1 : graph.node(append.txn)
      if (node < 0) continue
      const current = append as Append
      if (previous !== null && previousNode !== node)
        graph.addEdge(previousNode, node, WW, key, previous.value, current.value)
      previous = current
      previousNode = node
    }
    if (order.consistent) {
      const inOrder = new Set(order.order)
      const unobserved = [...appends.of(key)].filter((a) => graph.node(a.txn) >= 0 && !inOrder.has(a.value))
      for (const append of unobserved) {
        const node = graph.node(append.txn)
        if (previous !== null && node !== previousNode)
          graph.addEdge(previousNode, node, WW, key, previous.value, append.value)
      }
      unobservedByKey.set(key, unobserved)
    }
    nextWriterAt.set(key, nextCommittedPositions(graph, traced))
  }

  for (const read of externalReads) {
    const reader = graph.node(read.txn)
    if (reader < 0) continue
    const { key, list, length } = read
    const last = length === 0 ? NaN : (list[length - 1] as number)
    if (length > 0) {
      const writer = appends.get(key, last)
      const node = writer === undefined ? -1 : graph.node(writer.txn)
      if (node >= 0 && node !== reader) graph.addEdge(node, reader, WR, key, last)
    }
    const order = orders.get(key) as KeyOrder
    if (!order.consistent && !isPrefix(list, length, order.order)) continue
    const position = (nextWriterAt.get(key) as Int32Array)[length] as number
    if (position < order.order.length) {
      const next = order.appends[position] as Append
      const node = graph.node(next.txn)
      if (node !== reader) graph.addEdge(reader, node, RW, key, last, next.value)
    } else {
      for (const append of unobservedByKey.get(key) ?? []) {
        const node = graph.node(append.txn)
        if (node !== reader) graph.addEdge(reader, node, RW, key, last, append.value)
      }
    }
  }
}

/** For each position, the first position at or after it whose element a transaction in the graph appended. */
function nextCommittedPositions(graph: DependencyGraph, traced: ReadonlyArray<Append | undefined>): Int32Array {
  const next = new Int32Array(traced.length + 1)
  next[traced.length] = traced.length
  for (let i = traced.length - 1; i >= 0; i--) {
    const append = traced[i]
    next[i] = append !== undefined && graph.node(append.txn) >= 0 ? i : (next[i + 1] as number)
  }
  return next
}

function isPrefix(list: readonly number[], length: number, order: readonly number[]): boolean {
  if (length > order.length) return false
  for (let i = 0; i < length; i++) if (list[i] !== order[i]) return false
  return true
}
