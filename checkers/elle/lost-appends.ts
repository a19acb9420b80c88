import type { AppendIndex } from './append-index.js'
import type { FoundAnomalies } from './found-anomalies.js'
import type { Key, Txn } from './txn.js'
import { showKey, txnName, txnRef } from './txn-ref.js'

export interface LostAppendTally {
  /** Acknowledged appends the primary's final read could speak for (it read their key). */
  judged: number
  /** Acknowledged appends nothing could judge, and why. */
  unjudged: number
  reason?: string
}

/**
 * An acknowledged (ok) append missing from the primary's final read of its key is lost: semi-sync promises an
 * acknowledged commit survives a failover. Without that final read nothing can be judged; stats say so.
 */
export function findLostAppends(
  txns: readonly Txn[],
  finalRead: Txn | null,
  appends: AppendIndex,
  found: FoundAnomalies,
): LostAppendTally {
  const acked = [...appends.keys()].flatMap((key) => [...appends.of(key)].filter((a) => a.txn.outcome === 'ok'))
  if (finalRead === null) {
    const reason = txns.some((txn) => txn.final)
      ? 'the final phase has no ok read from the primary'
      : 'the history has no final phase'
    return { judged: 0, unjudged: acked.length, reason }
  }
  const finalLists = new Map<Key, Set<number>>()
  for (const mop of finalRead.mops) {
    if (mop.f === 'r' && !finalLists.has(mop.key)) finalLists.set(mop.key, new Set(mop.value ?? []))
  }
  let judged = 0
  let unjudged = 0
  for (const append of acked) {
    const survivors = finalLists.get(append.key)
    if (survivors === undefined) {
      unjudged++
      continue
    }
    judged++
    if (survivors.has(append.value)) continue
    found.add('lost-acked-write', () => ({
      message:
        `append of ${append.value} to key ${showKey(append.key)} by ${txnName(append.txn)} was acknowledged but ` +
        `is missing from the primary's final read (${txnName(finalRead)})`,
      evidence: {
        key: append.key,
        element: append.value,
        writer: txnRef(append.txn, append.key),
        finalRead: txnRef(finalRead, append.key),
      },
    }))
  }
  return unjudged === 0
    ? { judged, unjudged }
    : { judged, unjudged, reason: "the primary's final read lacks their keys" }
}
