import { HistoryFormatError } from '../../core/history/history-format-error.js'
import type { Key, Txn } from './txn.js'

/** One appended element, traced to the transaction that appended it. */
export interface Append {
  key: Key
  value: number
  txn: Txn
  /** The micro-op's position in its transaction. */
  mop: number
  /** 0 for the transaction's first append to this key, 1 for its second, … */
  rank: number
  /** The transaction's last append to this key: the only one another transaction may read as the list's end. */
  lastOfTxn: boolean
}

/**
 * Every append of the history, by key and value. Values are unique per key, so an element in a read names exactly
 * one append (Elle's traceability); a repeated value would make the whole inference ambiguous, so it is rejected.
 */
export class AppendIndex {
  private readonly byKey = new Map<Key, Map<number, Append>>()

  constructor(txns: readonly Txn[]) {
    for (const txn of txns) {
      const ranks = new Map<Key, Append>()
      txn.mops.forEach((mop, i) => {
        if (mop.f !== 'append') return
        let values = this.byKey.get(mop.key)
        if (values === undefined) {
          values = new Map()
          this.byKey.set(mop.key, values)
        }
        const earlier = values.get(mop.value)
        if (earlier !== undefined) {
          throw new HistoryFormatError(
            `micro-op ${i} appends ${mop.value} to key ${JSON.stringify(mop.key)}, which the txn invoked at op ` +
              `${earlier.txn.invoke.index} already appended: appended values must be unique per key`,
            { opIndex: txn.invoke.index },
          )
        }
        const previous = ranks.get(mop.key)
        if (previous !== undefined) previous.lastOfTxn = false
        const append: Append = {
          key: mop.key,
          value: mop.value,
          txn,
          mop: i,
          rank: previous === undefined ? 0 : previous.rank + 1,
          lastOfTxn: true,
        }
        ranks.set(mop.key, append)
        values.set(mop.value, append)
      })
    }
  }

  get(key: Key, value: number): Append | undefined {
    return this.byKey.get(key)?.get(value)
  }

  /** The appends to one key, in the order of their transactions' invocations. */
  of(key: Key): Iterable<Append> {
    return this.byKey.get(key)?.values() ?? []
  }

  keys(): Iterable<Key> {
    return this.byKey.keys()
  }
}
