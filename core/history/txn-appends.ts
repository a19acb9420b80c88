import type { Op } from './op.js'

/**
 * Whether an operation is a transaction (`f: "txn"`) that appends (docs/history-format.md, "Transactions"): one that
 * writes, and so, when it ends ok, committed through the semi-sync wait; a read-only one commits nothing.
 */
export function isAppendingTxn(op: Pick<Op, 'f' | 'value'>): boolean {
  return op.f === 'txn' && Array.isArray(op.value) && op.value.some((mop) => Array.isArray(mop) && mop[0] === 'append')
}
