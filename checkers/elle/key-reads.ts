import type { Key, Txn } from './txn.js'

/** One read micro-op of an ok transaction. */
export interface KeyRead {
  txn: Txn
  mop: number
  key: Key
  /** What it returned; `null` (never written) is read as the empty list. */
  list: readonly number[]
  /** Set by the version-order inference: the list is a prefix of the key's version order. */
  prefix: boolean
}

/** Every read of every ok transaction (the final phase's included), by key, in invocation order. */
export function readsByKey(txns: readonly Txn[]): Map<Key, KeyRead[]> {
  const byKey = new Map<Key, KeyRead[]>()
  for (const txn of txns) {
    if (txn.outcome !== 'ok') continue
    txn.mops.forEach((mop, i) => {
      if (mop.f !== 'r') return
      const read: KeyRead = { txn, mop: i, key: mop.key, list: mop.value ?? [], prefix: false }
      const list = byKey.get(mop.key)
      if (list === undefined) byKey.set(mop.key, [read])
      else list.push(read)
    })
  }
  return byKey
}
