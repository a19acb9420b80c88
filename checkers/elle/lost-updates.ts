import type { FoundAnomalies } from './found-anomalies.js'
import type { ExternalRead } from './internal-consistency.js'
import type { Key, Txn } from './txn.js'
import { showKey, showList, txnName, txnRef } from './txn-ref.js'

/**
 * Lost update: two committed transactions read the same version of a key and both appended to it. Run one after the
 * other, the second would have read the first's append; so one of the two updates was made on a stale read. A cycle
 * (G-single) shows it too once a later read orders the appends, but this finds it even when nothing read them.
 */
export function findLostUpdates(externalReads: readonly ExternalRead[], found: FoundAnomalies): void {
  // Reads of one key that are both prefixes of one order are equal when their lengths and last elements are.
  const byVersion = new Map<Key, Map<string, ExternalRead[]>>()
  for (const read of externalReads) {
    if (!read.txn.mops.some((mop) => mop.f === 'append' && mop.key === read.key)) continue
    const version = `${read.length}:${read.length === 0 ? '' : String(read.list[read.length - 1])}`
    let versions = byVersion.get(read.key)
    if (versions === undefined) {
      versions = new Map()
      byVersion.set(read.key, versions)
    }
    const same = versions.get(version)
    if (same === undefined) versions.set(version, [read])
    else same.push(read)
  }
  for (const [key, versions] of byVersion) {
    for (const same of versions.values()) {
      if (same.length < 2) continue
      const first = same[0] as ExternalRead
      const list = first.list.slice(0, first.length)
      found.add('lost-update', () => ({
        message:
          `${same.length} committed transactions read key ${showKey(key)} as ${showList(list)} and appended to it: ` +
          `${same.map((read) => `${txnName(read.txn)} appended ${appended(read.txn, key).join(', ')}`).join('; ')}`,
        evidence: {
          key,
          version: { length: first.length, last: first.length === 0 ? null : list[list.length - 1] },
          txns: same.map((read) => txnRef(read.txn, key)),
        },
      }))
    }
  }
}

function appended(txn: Txn, key: Key): number[] {
  return txn.mops.flatMap((mop) => (mop.f === 'append' && mop.key === key ? [mop.value] : []))
}
