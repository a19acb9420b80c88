import type { Append, AppendIndex } from './append-index.js'
import type { FoundAnomalies } from './found-anomalies.js'
import type { KeyRead } from './key-reads.js'
import type { Key, Txn } from './txn.js'
import { shortList, showKey, showList, txnName, txnRef } from './txn-ref.js'

/**
 * A key's version order as far as the reads show it. Appending to a list keeps its past, so each read is a whole
 * prefix of the key's history: the longest read is the most that was seen, and every other read must be a prefix of
 * it. This is what makes list-append histories decidable (Elle's "recoverability").
 */
export interface KeyOrder {
  key: Key
  /** The longest read without a repeated element. */
  order: readonly number[]
  source: KeyRead | null
  /** The append behind each position, if any transaction appended that element. */
  appends: ReadonlyArray<Append | undefined>
  /** Every read of the key is a prefix of `order`: then an element missing from `order` was never read at all. */
  consistent: boolean
}

export interface VersionOrders {
  orders: Map<Key, KeyOrder>
  /** Transactions with an uncertain outcome (`info`, `pending`, even `fail`) whose appends some read returned. */
  observedUncertain: Set<Txn>
}

/**
 * Infers every key's version order and reports what contradicts the very idea of one: a list holding an element twice
 * (`duplicate-append`), an element no transaction appended to that key (`unexpected`), a read that is not a prefix of
 * the longest one, or an order that puts a transaction's appends to a key out of the order it made them
 * (`incompatible-order`: after a failover, the new primary's history diverging from what clients read on the old one).
 * Marks each read that is a prefix of its key's order.
 */
export function inferVersionOrders(
  reads: ReadonlyMap<Key, readonly KeyRead[]>,
  appends: AppendIndex,
  found: FoundAnomalies,
): VersionOrders {
  const orders = new Map<Key, KeyOrder>()
  const observedUncertain = new Set<Txn>()
  for (const [key, keyReads] of reads) {
    const withDuplicates = new Set<KeyRead>()
    const source = longestWithoutDuplicates(keyReads, withDuplicates, found)
    const order = source?.list ?? []
    const unexpected = new Set<number>()
    const traced = order.map((value) => {
      const append = appends.get(key, value)
      if (append === undefined) reportUnexpected(key, value, source as KeyRead, unexpected, found)
      else if (append.txn.outcome !== 'ok') observedUncertain.add(append.txn)
      return append
    })
    checkAppendersOrder(key, order, traced, source, found)
    const disagreeing: KeyRead[] = []
    for (const read of keyReads) {
      if (read === source || (!withDuplicates.has(read) && isPrefix(read.list, order))) {
        read.prefix = true
        continue
      }
      // A read with duplicates may have been reported already, while the longest read was chosen.
      if (!withDuplicates.has(read)) {
        if (!hasDuplicate(read.list)) disagreeing.push(read)
        else {
          withDuplicates.add(read)
          reportDuplicates(read, found)
        }
      }
      // Elements only a read outside the order returned: trace them too.
      for (const value of read.list) {
        const append = appends.get(key, value)
        if (append === undefined) reportUnexpected(key, value, read, unexpected, found)
        else if (append.txn.outcome !== 'ok') observedUncertain.add(append.txn)
      }
    }
    if (disagreeing.length > 0) reportIncompatible(key, source as KeyRead, disagreeing, found)
    orders.set(key, {
      key,
      order,
      source,
      appends: traced,
      consistent: disagreeing.length === 0 && withDuplicates.size === 0,
    })
  }
  return { orders, observedUncertain }
}

/** The longest read is the order, unless it repeats an element: then it is reported and the next longest is tried. */
function longestWithoutDuplicates(
  reads: readonly KeyRead[],
  withDuplicates: Set<KeyRead>,
  found: FoundAnomalies,
): KeyRead | null {
  for (;;) {
    let best: KeyRead | null = null
    for (const read of reads) {
      if (!withDuplicates.has(read) && (best === null || read.list.length > best.list.length)) best = read
    }
    if (best === null || !hasDuplicate(best.list)) return best
    withDuplicates.add(best)
    reportDuplicates(best, found)
  }
}

function isPrefix(list: readonly number[], order: readonly number[]): boolean {
  if (list.length > order.length) return false
  for (let i = 0; i < list.length; i++) if (list[i] !== order[i]) return false
  return true
}

function hasDuplicate(list: readonly number[]): boolean {
  return new Set(list).size !== list.length
}

/**
 * A transaction's appends to a key land in the order it made them, after each other: its k-th append cannot come
 * before its (k-1)-th, nor without it. (Interleaving with another transaction's appends is a G0 cycle, found later.)
 */
function checkAppendersOrder(
  key: Key,
  order: readonly number[],
  traced: ReadonlyArray<Append | undefined>,
  source: KeyRead | null,
  found: FoundAnomalies,
): void {
  const nextRank = new Map<Txn, number>()
  traced.forEach((append, position) => {
    if (append === undefined) return
    const expected = nextRank.get(append.txn) ?? 0
    // Once out of order, a transaction is reported once: its later appends would all be out of order too.
    if (expected < 0) return
    nextRank.set(append.txn, append.rank === expected ? expected + 1 : -1)
    if (append.rank === expected) return
    found.add('incompatible-order', () => ({
      message:
        `key ${showKey(key)}'s order (${txnName((source as KeyRead).txn)}) holds ${append.value} at position ` +
        `${position}, the ${ordinal(append.rank + 1)} append of ${txnName(append.txn)} to the key, where its ` +
        `${ordinal(expected + 1)} append should come first`,
      evidence: {
        key,
        element: append.value,
        position,
        appender: txnRef(append.txn, key),
        read: txnRef((source as KeyRead).txn, key),
        order: shortList(order.slice(0, position + 1)),
      },
    }))
  })
}

function ordinal(n: number): string {
  const suffix =
    n % 10 === 1 && n % 100 !== 11
      ? 'st'
      : n % 10 === 2 && n % 100 !== 12
        ? 'nd'
        : n % 10 === 3 && n % 100 !== 13
          ? 'rd'
          : 'th'
  return `${n}${suffix}`
}

function reportUnexpected(key: Key, value: number, read: KeyRead, reported: Set<number>, found: FoundAnomalies): void {
  if (reported.has(value)) return
  reported.add(value)
  found.add('unexpected', () => ({
    message: `${txnName(read.txn)} read ${value} in key ${showKey(key)}, which no transaction appended to that key`,
    evidence: { key, element: value, read: txnRef(read.txn, key), mop: read.mop },
  }))
}

function reportDuplicates(read: KeyRead, found: FoundAnomalies): void {
  found.add('duplicate-append', () => {
    const seen = new Set<number>()
    const repeated = new Set<number>()
    for (const value of read.list) {
      if (seen.has(value)) repeated.add(value)
      seen.add(value)
    }
    return {
      message:
        `${txnName(read.txn)} read key ${showKey(read.key)} as a list holding ${[...repeated].join(', ')} more than ` +
        'once: each element is appended once, so a list cannot repeat it',
      evidence: { key: read.key, elements: [...repeated], read: txnRef(read.txn, read.key), mop: read.mop },
    }
  })
}

/** One anomaly per key: the first read that disagrees with the longest, and how many do. */
function reportIncompatible(key: Key, source: KeyRead, disagreeing: readonly KeyRead[], found: FoundAnomalies): void {
  const first = disagreeing[0] as KeyRead
  found.add('incompatible-order', () => {
    let at = 0
    while (at < first.list.length && first.list[at] === source.list[at]) at++
    return {
      message:
        `${txnName(first.txn)} read key ${showKey(key)} as ${showList(first.list)}, which is not a prefix of ` +
        `${showList(source.list)} read by ${txnName(source.txn)} (they part at position ${at}); ` +
        `${disagreeing.length} read(s) of the key disagree so with its longest read`,
      evidence: {
        key,
        divergesAt: at,
        longest: { ...txnRef(source.txn, key), mop: source.mop, from: source.list.slice(at, at + 10) },
        read: { ...txnRef(first.txn, key), mop: first.mop, from: first.list.slice(at, at + 10) },
        disagreeingReads: disagreeing.length,
      },
    }
  })
}
