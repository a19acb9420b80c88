import type { Key, MicroOp, Txn } from './txn.js'
import { txnIndex } from './txn.js'

/** A transaction as evidence names it: the op to open, who ran it, and what it did. */
export interface TxnRef {
  /** The completion's index (the invocation's when it never completed). */
  index: number
  invokeIndex: number
  process: number
  type: Txn['outcome']
  /** The micro-ops in Jepsen's form; a long read list keeps its last elements only (see `shortList`). */
  value: unknown[]
  /** A final-phase read touches every key: it keeps only the micro-ops on the key in question, and counts the rest. */
  omittedMops?: number
  node?: string
}

/** More micro-ops than any client transaction has: only final-phase reads of every key get this big. */
const MAX_MOPS_SHOWN = 8

export function txnRef(txn: Txn, key?: Key | null): TxnRef {
  const shown =
    txn.mops.length > MAX_MOPS_SHOWN ? txn.mops.filter((mop) => key !== undefined && mop.key === key) : txn.mops
  return {
    index: txnIndex(txn),
    invokeIndex: txn.invoke.index,
    process: txn.process,
    type: txn.outcome,
    value: shown.map(mopForEvidence),
    ...(shown.length < txn.mops.length ? { omittedMops: txn.mops.length - shown.length } : {}),
    ...(txn.node !== undefined ? { node: txn.node } : {}),
  }
}

/** `txn at op 12 (process 3)`: how messages name a transaction. */
export function txnName(txn: Txn): string {
  const role = txn.final ? `, final read on ${txn.node ?? 'a node'}` : ''
  return `txn at op ${txnIndex(txn)} (process ${txn.process}${role})`
}

function mopForEvidence(mop: MicroOp): unknown[] {
  return [mop.f, mop.key, mop.f === 'r' && mop.value !== null ? shortList(mop.value) : mop.value]
}

const KEPT_TAIL = 8

/**
 * Reads grow with the run (hundreds of elements a key): evidence keeps the end of a long list, where what matters
 * is, behind a marker string that says how many elements it left out.
 */
export function shortList(list: readonly number[]): Array<number | string> {
  if (list.length <= KEPT_TAIL + 2) return [...list]
  return [`…${list.length - KEPT_TAIL} earlier`, ...list.slice(-KEPT_TAIL)]
}

export function showKey(key: Key): string {
  return JSON.stringify(key)
}

export function showList(list: readonly number[]): string {
  return JSON.stringify(shortList(list))
}
