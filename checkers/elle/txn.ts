import type { Op } from '../../core/history/op.js'

/** A key of the list-append workload: a string or an integer. `1` and `"1"` are different keys, as in JSON. */
export type Key = string | number

/** `["r", key, list]`: the list is `null` at invoke, and at `ok` when the key was never written. */
export interface ReadMop {
  f: 'r'
  key: Key
  value: readonly number[] | null
}

/** `["append", key, value]`: values are integers, unique per key across the whole history. */
export interface AppendMop {
  f: 'append'
  key: Key
  value: number
}

export type MicroOp = ReadMop | AppendMop

/** How a transaction ended; `pending` (the run ended first) is as uncertain as `info`. */
export type TxnOutcome = 'ok' | 'fail' | 'info' | 'pending'

/** One transaction: an invocation and its completion, if any. */
export interface Txn {
  /** Dense from 0, in invocation order. */
  id: number
  process: number
  invoke: Op
  completion: Op | null
  outcome: TxnOutcome
  /** The completion's micro-ops when `ok` (reads filled in), the invocation's otherwise. */
  mops: readonly MicroOp[]
  /** A read of the final phase, taken after every fault was healed. */
  final: boolean
  role: 'primary' | 'replica' | undefined
  node: string | undefined
}

/** The op a person should look at for a transaction: its completion, which holds what the reads returned. */
export function txnIndex(txn: Txn): number {
  return txn.completion?.index ?? txn.invoke.index
}
