import type { Op } from '../../core/history/op.js'
import { isAppendingTxn } from '../../core/history/txn-appends.js'
import type { StatusSample } from '../../core/semisync/status-sample.js'

/** What a run left to judge a precondition by. */
export interface RunEvidence {
  history: readonly Op[]
  statusSamples: readonly StatusSample[]
}

/**
 * What must have happened for a row to test what it claims (commits waiting at the kill, a fallback to async, …).
 * On real servers timing decides whether it did; a row whose precondition did not happen proves nothing either way.
 */
export interface Precondition {
  description: string
  /** Null when the run shows it happened; otherwise what the run shows instead. */
  unmet(run: RunEvidence): string | null
}

const WRITES = new Set(['add', 'write', 'cas'])

/** A write: an add, write or cas, or a transaction that appends. */
function writes(invoke: Op): boolean {
  return WRITES.has(invoke.f) || isAppendingTxn(invoke)
}

/** The first kill of the primary: the invoke's time and the node it killed (its completion names it). */
function firstPrimaryKill(history: readonly Op[]): { time: number; node: string } | null {
  for (let i = 0; i < history.length; i++) {
    const op = history[i] as Op
    if (op.process !== 'nemesis' || op.f !== 'kill' || op.type !== 'invoke') continue
    if ((op.value as { target?: unknown } | null)?.target !== 'primary') continue
    const done = history.slice(i + 1).find((o) => o.process === 'nemesis' && o.f === 'kill' && o.type !== 'invoke')
    if (typeof done?.value === 'string') return { time: op.time, node: done.value }
  }
  return null
}

/** The killed primary's last status reading before the kill. */
function lastSampleBefore(run: RunEvidence, node: string, time: number): StatusSample | null {
  let last: StatusSample | null = null
  for (const s of run.statusSamples) {
    if (s.node === node && s.role === 'primary' && s.time < time && s.error === undefined) last = s
  }
  return last
}

/** Client writes invoked before `time` and not completed by then. */
function writesInFlight(history: readonly Op[], time: number): number {
  const open = new Set<number>()
  for (const op of history) {
    if (op.time >= time) break
    if (typeof op.process !== 'number') continue
    if (op.type !== 'invoke') open.delete(op.process)
    else if (writes(op)) open.add(op.process)
  }
  return open.size
}

function atPrimaryKill(
  run: RunEvidence,
  judge: (sample: StatusSample, killTime: number) => string | null,
): string | null {
  const kill = firstPrimaryKill(run.history)
  if (kill === null) return 'the primary was never killed'
  const sample = lastSampleBefore(run, kill.node, kill.time)
  if (sample === null) return `no status reading of ${kill.node} before it was killed`
  return judge(sample, kill.time)
}

export const COMMITS_WAITING_AT_KILL: Precondition = {
  description: 'commits were waiting for an ack when the primary was killed',
  unmet: (run) =>
    atPrimaryKill(run, (sample, killTime) => {
      if ((sample.waitSessions ?? 0) === 0) return `${sample.node} showed no session waiting for an ack before the kill`
      if (writesInFlight(run.history, killTime) === 0) return 'no client write was in flight at the kill'
      return null
    }),
}

/**
 * The killed primary came back holding a transaction the new primary lacked: the recovery report names errant
 * transactions, or the old primary's replication stopped at error 1236 (it asked for a GTID the new primary never had).
 * Commits waiting at the kill are not enough on real servers: a waiting commit's event may have reached the replica
 * that was promoted, its ack lost in the cut.
 */
export const OLD_PRIMARY_AHEAD_AT_REJOIN: Precondition = {
  description: 'the old primary held a transaction the new primary lacked when it rejoined',
  unmet: (run) => {
    const recovery = run.history.findLast(
      (op) => op.process === 'nemesis' && op.f === 'recovery' && op.type !== 'invoke',
    )
    if (recovery === undefined) return 'the run has no recovery report'
    const report = (recovery.value ?? {}) as { errant?: Record<string, unknown>; lagging?: Record<string, unknown> }
    if (Object.keys(report.errant ?? {}).length > 0) return null
    if (Object.values(report.lagging ?? {}).some((why) => String(why).includes('1236'))) return null
    return 'the old primary rejoined holding nothing the new primary lacked (its waiting commits had reached it)'
  },
}

export const FELL_BACK_BEFORE_KILL: Precondition = {
  description: 'the primary had fallen back to asynchronous replication before it was killed',
  unmet: (run) =>
    atPrimaryKill(run, (sample) =>
      sample.status === 'OFF' || (sample.noTimes ?? 0) > 0
        ? null
        : `${sample.node} read ON with no switch OFF before the kill`,
    ),
}

export const NO_SEMI_SYNC_REPLICA_AT_KILL: Precondition = {
  description: 'no semi-sync replica was connected to the primary when it was killed',
  unmet: (run) =>
    atPrimaryKill(run, (sample) =>
      (sample.clients ?? 0) === 0 ? null : `${sample.node} had ${sample.clients} semi-sync replica(s) connected`,
    ),
}

/**
 * How far a failover candidate had received: the report's `receivedSeq`, or for histories written before it existed,
 * the sequence number at the end of a MariaDB GTID (`0-1-217` → 217).
 */
function receivedSeq(candidate: { received?: unknown; receivedSeq?: unknown }): number {
  if (typeof candidate.receivedSeq === 'number') return candidate.receivedSeq
  const match = typeof candidate.received === 'string' ? /(\d+)\s*$/.exec(candidate.received) : null
  return match ? Number(match[1]) : 0
}

export const ASYNC_REPLICA_AHEAD_AT_FAILOVER: Precondition = {
  description: 'at the failover, an async replica had received more than the semi-sync replica promoted',
  unmet: (run) => {
    const failover = run.history.find((op) => op.process === 'nemesis' && op.f === 'failover' && op.type !== 'invoke')
    const candidates = (
      failover?.value as { candidates?: Array<{ semiSync: boolean; received: string; receivedSeq?: number }> } | null
    )?.candidates
    if (!candidates) return 'no failover report in the history'
    const best = (semiSync: boolean): number =>
      Math.max(-1, ...candidates.filter((c) => c.semiSync === semiSync).map(receivedSeq))
    return best(false) > best(true)
      ? null
      : `the async replica had received ${best(false)}, the semi-sync one ${best(true)}`
  },
}

interface FailoverCandidate {
  node: string
  received?: unknown
  receivedSeq?: unknown
  appliedSeq?: unknown
}

export const PROMOTED_BEHIND_AT_FAILOVER: Precondition = {
  description: 'at a failover, the node promoted had applied less than some replica had received',
  unmet: (run) => {
    const failovers = run.history.filter(
      (op) => op.process === 'nemesis' && op.f === 'failover' && op.type !== 'invoke',
    )
    if (failovers.length === 0) return 'no failover in the history'
    for (const failover of failovers) {
      const report = failover.value as { to?: unknown; candidates?: FailoverCandidate[] } | null
      const promoted = report?.candidates?.find((c) => c.node === report.to)
      if (!promoted || typeof promoted.appliedSeq !== 'number') continue
      const received = Math.max(...(report?.candidates ?? []).map(receivedSeq))
      if (received > promoted.appliedSeq) return null
    }
    return `every one of ${failovers.length} failover(s) promoted a node that had applied all any replica had received`
  },
}
