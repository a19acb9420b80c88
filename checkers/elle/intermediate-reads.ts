import type { AppendIndex } from './append-index.js'
import type { FoundAnomalies } from './found-anomalies.js'
import type { ExternalRead } from './internal-consistency.js'
import { showKey, showList, txnName, txnRef } from './txn-ref.js'

/**
 * G1b, intermediate read: a transaction saw another's state of a key half way, a list ending in an element that is
 * not that transaction's last append to the key. Only the version's end says which state was read: earlier elements
 * are naturally followed by their writer's next ones. Appends of failed transactions are G1a instead.
 */
export function findIntermediateReads(
  externalReads: readonly ExternalRead[],
  appends: AppendIndex,
  found: FoundAnomalies,
): void {
  for (const read of externalReads) {
    if (read.length === 0) continue
    const last = read.list[read.length - 1] as number
    const append = appends.get(read.key, last)
    if (append === undefined || append.lastOfTxn || append.txn === read.txn || append.txn.outcome === 'fail') continue
    const later = append.txn.mops
      .filter((mop) => mop.f === 'append' && mop.key === read.key)
      .map((mop) => mop.value as number)
      .slice(append.rank + 1)
    found.add('G1b', () => ({
      message:
        `${txnName(read.txn)} read key ${showKey(read.key)} as ${showList(read.list.slice(0, read.length))}, ending ` +
        `in ${last}, but ${txnName(append.txn)} appended ${later.join(', ')} after it in the same transaction ` +
        '(intermediate read)',
      evidence: {
        key: read.key,
        element: last,
        laterAppends: later,
        writer: txnRef(append.txn, read.key),
        read: txnRef(read.txn, read.key),
        mop: read.mop,
      },
    }))
  }
}
