import type { Op } from '../core/history/op.js'
import type { StatusSample } from '../core/semisync/status-sample.js'
import type { Anomaly, CheckResult, Checker } from './checker.js'

export interface SemiSyncStatusOptions {
  /** What the status monitor read from every node during the run (status.jsonl). */
  samples: readonly StatusSample[]
  /**
   * Whether a client operation that ended ok (its completion is given) committed one transaction that changed rows,
   * through the semi-sync wait: every `add`; a `txn` only when it appended something.
   */
  commits: (ok: Op) => boolean
  /**
   * Whether yes_tx/no_tx count every transaction (MariaDB, the engine) or one per binlog group that waited (MySQL,
   * whose group commit leader waits for the whole group: 49 commits counted as 5 at 2000 ops/s on 9.7.4). Only the
   * former can be held against the acknowledged commits.
   */
  countsEveryCommit: boolean
}

/** A counted sample: a primary's reading with every counter present. */
type Reading = Required<Pick<StatusSample, 'time' | 'node' | 'status' | 'clients' | 'yesTx' | 'noTx' | 'noTimes'>>

/**
 * Holds the semi-sync status record against the history (docs/reference/semisync.md §3): on each primary, between
 * two readings with no restart of that node in between,
 * - every commit a client saw succeed there was counted, as `yes_tx` or `no_tx` (where the server counts each one);
 * - no commit was released without an ack (`no_tx` grew) while the status read ON at both ends and no timeout was
 *   counted (`no_times` did not grow): the status claimed acks it did not get (MariaDB's wait_no_slave=OFF, a KILLed
 *   waiter);
 * - the status did not turn OFF without a timeout counted or a replica lost;
 * - no counter went backwards.
 * Samples give the counters every 100 ms, so each rule is checked on pairs of readings, never on a single commit.
 */
export function semiSyncStatusChecker(options: SemiSyncStatusOptions): Checker {
  return {
    name: 'semi-sync-status',
    check(history: readonly Op[]): CheckResult {
      const readings = primaryReadings(options.samples)
      const kills = killTimes(history)
      const anomalies: Anomaly[] = []
      let pairs = 0
      for (const [node, list] of readings) {
        for (let i = 1; i < list.length; i++) {
          const before = list[i - 1] as Reading
          const after = list[i] as Reading
          if (restartedBetween(kills.get(node), before.time, after.time)) continue
          pairs++
          const mismatch =
            backwards(before, after) ?? releasedWithoutAck(before, after) ?? offWithoutCause(before, after)
          if (mismatch) anomalies.push(mismatch)
        }
        if (options.countsEveryCommit) anomalies.push(...uncounted(node, list, kills.get(node), options, history))
      }
      return {
        valid: anomalies.length === 0,
        anomalies,
        stats: { primaryReadings: [...readings.values()].reduce((n, l) => n + l.length, 0), pairs },
      }
    },
  }
}

/** Every primary's complete readings, per node, in time order. */
function primaryReadings(samples: readonly StatusSample[]): Map<string, Reading[]> {
  const byNode = new Map<string, Reading[]>()
  for (const s of samples) {
    if (s.role !== 'primary' || s.error !== undefined) continue
    const { status, clients, yesTx, noTx, noTimes } = s
    if (status === undefined || clients === undefined || yesTx === undefined) continue
    if (noTx === undefined || noTimes === undefined) continue
    const reading: Reading = { time: s.time, node: s.node, status, clients, yesTx, noTx, noTimes }
    const list = byNode.get(s.node)
    if (list) list.push(reading)
    else byNode.set(s.node, [reading])
  }
  return byNode
}

/** When each node was killed (a `kill` completion names the node): its counters start again from zero. */
function killTimes(history: readonly Op[]): Map<string, number[]> {
  const kills = new Map<string, number[]>()
  for (const op of history) {
    if (op.process !== 'nemesis' || op.f !== 'kill' || op.type === 'invoke' || typeof op.value !== 'string') continue
    const list = kills.get(op.value)
    if (list) list.push(op.time)
    else kills.set(op.value, [op.time])
  }
  return kills
}

function restartedBetween(kills: readonly number[] | undefined, from: number, to: number): boolean {
  return (kills ?? []).some((t) => t > from && t <= to)
}

function counters(r: Reading): Record<string, unknown> {
  return { time: r.time, status: r.status, clients: r.clients, yesTx: r.yesTx, noTx: r.noTx, noTimes: r.noTimes }
}

function mismatch(rule: string, message: string, before: Reading, after: Reading): Anomaly {
  return {
    kind: 'status-mismatch',
    message: `${after.node}: ${message}`,
    evidence: { rule, node: after.node, before: counters(before), after: counters(after) },
  }
}

function backwards(before: Reading, after: Reading): Anomaly | null {
  const fell = (['yesTx', 'noTx', 'noTimes'] as const).filter((c) => after[c] < before[c])
  if (fell.length === 0) return null
  return mismatch('counter-went-backwards', `${fell.join(', ')} went backwards with no restart`, before, after)
}

function releasedWithoutAck(before: Reading, after: Reading): Anomaly | null {
  if (before.status !== 'ON' || after.status !== 'ON') return null
  if (after.noTx <= before.noTx || after.noTimes !== before.noTimes) return null
  const released = after.noTx - before.noTx
  return mismatch(
    'released-without-ack-while-on',
    `${released} commit(s) returned without an ack (no_tx ${before.noTx}→${after.noTx}) while the status read ON ` +
      'and no timeout was counted',
    before,
    after,
  )
}

function offWithoutCause(before: Reading, after: Reading): Anomaly | null {
  if (before.status !== 'ON' || after.status !== 'OFF') return null
  if (after.noTimes > before.noTimes) return null
  if (after.clients === 0 || after.clients < before.clients) return null
  return mismatch(
    'off-without-timeout-or-lost-replica',
    `the status turned OFF with no timeout counted (no_times ${after.noTimes}) and no replica lost ` +
      `(${after.clients} client(s))`,
    before,
    after,
  )
}

/**
 * Commits acknowledged on `node` that its counters never counted. A commit is counted before its OK returns, so one
 * that began after a reading was taken and ended ok before a later reading must show in the difference. A reading is
 * taken some time after its `time`, so "after a reading" means after the next sample the monitor took (of any node).
 * Each reading is held against the last one of its incarnation (the node's run between restarts).
 */
function uncounted(
  node: string,
  list: readonly Reading[],
  kills: readonly number[] | undefined,
  options: SemiSyncStatusOptions,
  history: readonly Op[],
): Anomaly[] {
  const acked = ackedOn(node, options.commits, history)
  const sampleTimes = options.samples.map((s) => s.time).sort((a, b) => a - b)
  const anomalies: Anomaly[] = []
  for (const incarnation of incarnations(list, kills)) {
    const end = incarnation[incarnation.length - 1] as Reading
    const invokeTimes = acked.filter((a) => a.okTime < end.time).map((a) => a.invokeTime)
    invokeTimes.sort((a, b) => a - b)
    for (const base of incarnation.slice(0, -1)) {
      const readBy = sampleTimes[firstAbove(sampleTimes, base.time)]
      if (readBy === undefined) continue
      const ackedBetween = invokeTimes.length - firstAbove(invokeTimes, readBy)
      const counted = end.yesTx + end.noTx - (base.yesTx + base.noTx)
      // Counters that fell are reported as such; this rule needs them to have counted at all.
      if (counted < 0 || ackedBetween <= counted) continue
      anomalies.push({
        kind: 'status-mismatch',
        message:
          `${node}: ${ackedBetween} commit(s) acknowledged between readings at ${base.time} and ${end.time} ns, ` +
          `but yes_tx + no_tx grew by ${counted}`,
        evidence: {
          rule: 'acked-commit-not-counted',
          node,
          ackedCommits: ackedBetween,
          counted,
          before: counters(base),
          after: counters(end),
        },
      })
      break // one per incarnation: the rest would repeat it
    }
  }
  return anomalies
}

/** Committing client operations that ended ok on `node`: when each began and ended. */
function ackedOn(
  node: string,
  commits: (ok: Op) => boolean,
  history: readonly Op[],
): Array<{ invokeTime: number; okTime: number }> {
  const acked: Array<{ invokeTime: number; okTime: number }> = []
  const invokes = new Map<number, number>()
  for (const op of history) {
    if (typeof op.process !== 'number') continue
    if (op.type === 'invoke') invokes.set(op.process, op.time)
    else if (op.type === 'ok' && op.node === node && commits(op)) {
      const invokeTime = invokes.get(op.process)
      if (invokeTime !== undefined) acked.push({ invokeTime, okTime: op.time })
    }
  }
  return acked
}

/** A node's readings split where it was killed: each part's counters count from its own start. */
function incarnations(list: readonly Reading[], kills: readonly number[] | undefined): Reading[][] {
  const parts: Reading[][] = []
  let current: Reading[] = []
  for (const reading of list) {
    const previous = current[current.length - 1]
    if (previous && restartedBetween(kills, previous.time, reading.time)) {
      parts.push(current)
      current = []
    }
    current.push(reading)
  }
  if (current.length > 0) parts.push(current)
  return parts.filter((p) => p.length >= 2)
}

/** The index of the first element greater than `value` in an ascending list (its length when there is none). */
function firstAbove(sorted: readonly number[], value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as number) > value) hi = mid
    else lo = mid + 1
  }
  return lo
}
