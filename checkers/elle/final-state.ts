import type { Txn } from './txn.js'

/**
 * The primary's final read: the ground truth of what survived (the last one, if the final phase read it twice). The
 * final reads of replicas are not the state clients were promised; they count only as reads of their nodes.
 */
export function primaryFinalRead(txns: readonly Txn[]): Txn | null {
  return txns.findLast((txn) => txn.final && txn.role === 'primary' && txn.outcome === 'ok') ?? null
}
