import type { DependencyGraph } from './dependency-graph.js'
import { EDGE_NAMES, PROCESS, RW, WR, WW } from './dependency-graph.js'
import type { Key, Txn } from './txn.js'
import { txnIndex } from './txn.js'
import type { TxnRef } from './txn-ref.js'
import { showKey, txnName, txnRef } from './txn-ref.js'

/** One edge of a cycle, as the evidence shows it. */
export interface ExplainedEdge {
  from: TxnRef
  to: TxnRef
  type: 'ww' | 'wr' | 'rw' | 'process' | 'realtime'
  /** The key a data edge is about (null for process and real-time edges). */
  key: Key | null
  /** The element that makes the edge: `to`'s append (ww, rw), or the last element `to` read (wr). */
  value: number | null
  why: string
}

export function explainEdge(graph: DependencyGraph, e: number): ExplainedEdge {
  const from = graph.txns[graph.edgeFrom(e)] as Txn
  const to = graph.txns[graph.edgeTo(e)] as Txn
  const type = graph.edgeType(e)
  const key = graph.edgeKey(e)
  const [first, second] = graph.edgeElements(e)
  const a = txnName(from)
  const b = txnName(to)
  const k = key === null ? '' : showKey(key)
  let why: string
  let value: number | null = null
  if (type === WW) {
    why = `${a} appended ${first} to key ${k}, and ${b} appended ${second}, which comes after it in the key's order`
    value = second
  } else if (type === WR) {
    why = `${b} read key ${k} as a version ending in ${first}, which ${a} appended`
    value = first
  } else if (type === RW) {
    const read = first === null ? 'as empty' : `as a version ending in ${first}`
    why = `${a} read key ${k} ${read}, and ${b} appended ${second}, which comes after that version`
    value = second
  } else if (type === PROCESS) {
    why = `${a} and ${b} ran on process ${from.process}, one after the other`
  } else {
    why = `${a} completed (op ${txnIndex(from)}) before ${b} was invoked (op ${to.invoke.index})`
  }
  return { from: txnRef(from, key), to: txnRef(to, key), type: EDGE_NAMES[type], key, value, why }
}
