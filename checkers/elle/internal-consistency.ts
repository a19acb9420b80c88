import type { FoundAnomalies } from './found-anomalies.js'
import type { Key, Txn } from './txn.js'
import { showKey, showList, txnName, txnRef } from './txn-ref.js'

/**
 * What a committed transaction saw of the others on one key: the list its first read of the key returned, without the
 * elements the transaction had itself appended before that read. Dependencies are inferred from these alone: a later
 * read of the same key can only repeat it (plus the transaction's own appends), or the transaction is not internally
 * consistent.
 */
export interface ExternalRead {
  txn: Txn
  key: Key
  /** The whole list the read returned (not copied: reads are large and many). */
  list: readonly number[]
  /** The version read is `list`'s first `length` elements: what others (or this txn, before it read) put there. */
  length: number
  /** The micro-op that read it. */
  mop: number
}

/** What a transaction knows of a key: the list it read, then its own appends since; or its appends alone. */
interface KnownList {
  read: readonly number[] | null
  appended: number[]
}

/**
 * Within one transaction a read must reflect what the transaction already knows of the key: its earlier read of it
 * plus its own appends since, or, before any read, end with its own appends; and it cannot hold an append the
 * transaction makes only later. Anything else is `internal` (Adya assumes it away; a real database can still break
 * it). Only ok transactions have read results to check.
 *
 * At read committed a later read may also show what other transactions committed in between (a non-repeatable read:
 * Adya's PL-2 allows it): it must then still begin with the earlier read and end with the transaction's own appends
 * since, and it is one more external read, of a later version.
 */
export function checkInternalConsistency(
  txns: readonly Txn[],
  found: FoundAnomalies,
  options: { nonRepeatableReads: boolean } = { nonRepeatableReads: false },
): ExternalRead[] {
  const external: ExternalRead[] = []
  for (const txn of txns) {
    if (txn.outcome !== 'ok') continue
    const known = new Map<Key, KnownList>()
    txn.mops.forEach((mop, i) => {
      const was = known.get(mop.key)
      if (mop.f === 'append') {
        if (was === undefined) known.set(mop.key, { read: null, appended: [mop.value] })
        else was.appended.push(mop.value)
        return
      }
      const read = mop.value ?? []
      if (was === undefined || was.read === null) {
        const own = was?.appended ?? []
        const future = endsWith(read, [], own) ? futureAppendIn(txn, i, read, read.length - own.length) : null
        if (future === undefined) {
          external.push({ txn, key: mop.key, list: read, length: read.length - own.length, mop: i })
        } else if (future === null) reportInternal(txn, i, mop.key, read, own, 'ends with', found)
        else reportInternal(txn, i, mop.key, read, [future], 'lacks', found)
      } else if (read.length === was.read.length + was.appended.length && endsWith(read, was.read, was.appended)) {
        // It repeats what the transaction knew: nothing new to learn from it.
      } else if (options.nonRepeatableReads && extends_(read, was.read, was.appended)) {
        external.push({ txn, key: mop.key, list: read, length: read.length - was.appended.length, mop: i })
      } else {
        reportInternal(txn, i, mop.key, read, [...was.read, ...was.appended], 'repeats', found)
      }
      // Later reads are judged against what this one returned, so one bad read is reported once.
      known.set(mop.key, { read, appended: [] })
    })
  }
  return external
}

/** An element of the version read that the transaction itself appends only after the read: it read its future. */
function futureAppendIn(txn: Txn, readAt: number, read: readonly number[], length: number): number | undefined {
  const key = txn.mops[readAt]?.key
  for (let j = readAt + 1; j < txn.mops.length; j++) {
    const mop = txn.mops[j] as Txn['mops'][number]
    if (mop.f !== 'append' || mop.key !== key) continue
    for (let p = 0; p < length; p++) if (read[p] === mop.value) return mop.value
  }
  return undefined
}

function reportInternal(
  txn: Txn,
  mop: number,
  key: Key,
  read: readonly number[],
  expected: readonly number[],
  relation: 'repeats' | 'ends with' | 'lacks',
  found: FoundAnomalies,
): void {
  found.add('internal', () => ({
    message:
      `${txnName(txn)} read key ${showKey(key)} as ${showList(read)} in micro-op ${mop}, but ` +
      (relation === 'repeats'
        ? `what it had already read and appended says ${showList(expected)}`
        : relation === 'ends with'
          ? `what it had already appended (${showList(expected)}) should end the list`
          : `it appends ${expected[0]} only later: it cannot have read it yet`),
    evidence: { txn: txnRef(txn, key), mop, key, read: [...read], expected: [...expected], expectation: relation },
  }))
}

/** Whether `list` begins with `head`, ends with `tail`, and has room for both: others' appends may lie between. */
function extends_(list: readonly number[], head: readonly number[], tail: readonly number[]): boolean {
  if (head.length + tail.length > list.length) return false
  for (let i = 0; i < head.length; i++) if (list[i] !== head[i]) return false
  return endsWith(list, [], tail)
}

/** Whether `list` ends with `head` followed by `tail` (`head` empty: ends with `tail`; else exactly `head ++ tail`). */
function endsWith(list: readonly number[], head: readonly number[], tail: readonly number[]): boolean {
  if (head.length + tail.length > list.length) return false
  const offset = list.length - head.length - tail.length
  for (let i = 0; i < head.length; i++) if (list[offset + i] !== head[i]) return false
  for (let i = 0; i < tail.length; i++) if (list[offset + head.length + i] !== tail[i]) return false
  return true
}
