import type { Op } from '../../core/history/op.js'
import { nemesisBands } from './run-report/nemesis-bands.js'

/**
 * One line on how a run is going, from its history so far: run time against the limit (or the final phase), client
 * operations by outcome, failovers, and the faults in effect now.
 */
export function progressLine(history: readonly Op[], nowNs: number, timeLimitNs: number): string {
  const counts = { ok: 0, fail: 0, info: 0 }
  let finalPhase = false
  for (const op of history) {
    if (op.process === 'nemesis') continue
    if (op.final === true) finalPhase = true
    if (op.type === 'ok' || op.type === 'fail' || op.type === 'info') counts[op.type]++
  }
  const { bands, failovers } = nemesisBands(history)
  const now = bands.filter((b) => b.open).map((b) => b.label)
  const time =
    nowNs >= timeLimitNs || finalPhase
      ? 'final phase (healing, waiting for the replicas, reading every node)'
      : `${(nowNs / 1e9).toFixed(1)}/${(timeLimitNs / 1e9).toFixed(0)} s`
  return [
    time,
    `${counts.ok + counts.fail + counts.info} ops (ok ${counts.ok}, fail ${counts.fail}, info ${counts.info})`,
    `${failovers.length} failover${failovers.length === 1 ? '' : 's'}`,
    now.length > 0 ? `now: ${now.join(', ')}` : 'no fault in effect',
  ].join(' · ')
}
