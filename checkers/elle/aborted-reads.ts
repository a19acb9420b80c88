import type { Append, AppendIndex } from './append-index.js'
import type { FoundAnomalies } from './found-anomalies.js'
import type { KeyRead } from './key-reads.js'
import type { Key } from './txn.js'
import { txnIndex } from './txn.js'
import { showKey, txnName, txnRef } from './txn-ref.js'
import type { KeyOrder } from './version-orders.js'

/**
 * G1a, aborted read: a read returned an element whose transaction failed. A `fail` promises the transaction did not
 * commit, so nobody may ever see its appends. One anomaly per such element, naming the first read that returned it
 * and counting them all.
 */
export function findAbortedReads(
  reads: ReadonlyMap<Key, readonly KeyRead[]>,
  orders: ReadonlyMap<Key, KeyOrder>,
  appends: AppendIndex,
  found: FoundAnomalies,
): void {
  for (const [key, keyReads] of reads) {
    const order = orders.get(key)
    if (order === undefined) continue
    const failedPositions: number[] = []
    order.appends.forEach((append, position) => {
      if (append?.txn.outcome === 'fail') failedPositions.push(position)
    })
    const seen = new Map<Append, { first: KeyRead; count: number }>()
    const saw = (append: Append, read: KeyRead): void => {
      const was = seen.get(append)
      if (was === undefined) seen.set(append, { first: read, count: 1 })
      else {
        was.count++
        if (txnIndex(read.txn) < txnIndex(was.first.txn)) was.first = read
      }
    }
    for (const read of keyReads) {
      if (read.prefix) {
        // The hot path: a prefix of the order holds exactly the order's failed elements below its length.
        for (const position of failedPositions) {
          if (position >= read.list.length) break
          saw(order.appends[position] as Append, read)
        }
        continue
      }
      for (const value of new Set(read.list)) {
        const append = appends.get(key, value)
        if (append?.txn.outcome === 'fail') saw(append, read)
      }
    }
    for (const [append, { first, count }] of seen) {
      found.add('G1a', () => ({
        message:
          `${txnName(first.txn)} read ${append.value} in key ${showKey(key)}, appended by ${txnName(append.txn)}, ` +
          `which failed (aborted read); ${count} read(s) returned it`,
        evidence: {
          key,
          element: append.value,
          writer: txnRef(append.txn, key),
          read: txnRef(first.txn, key),
          reads: count,
        },
      }))
    }
  }
}
