import type { ReplicaState } from '../../core/cluster/cluster.js'

/** How an orchestrator picks the replica to promote. */
export interface FailoverPolicy {
  readonly name: FailoverPolicyName
  readonly description: string
  /** Whether replicas apply everything they received before the choice (the safe recipe does). */
  readonly drainRelayLogs: boolean
  /**
   * Whether clients are pointed at the choice before it has applied its relay log: it is chosen by what it received,
   * serves reads (writes fail: it is still read-only) while it drains, and is promoted once drained or out of time.
   */
  readonly routeBeforeDrain?: boolean
  /** Picks among live candidates (already sorted by name); null when none fits. */
  choose(candidates: readonly ReplicaState[]): ReplicaState | null
}

export const FAILOVER_POLICY_NAMES = [
  'most-advanced',
  'most-advanced-semi-sync',
  'first-replica',
  'most-applied',
  'route-first',
] as const
export type FailoverPolicyName = (typeof FAILOVER_POLICY_NAMES)[number]

function maxBy(candidates: readonly ReplicaState[], score: (r: ReplicaState) => number): ReplicaState | null {
  let best: ReplicaState | null = null
  for (const c of candidates) if (!best || score(c) > score(best)) best = c
  return best
}

/**
 * What a replica will hold once promoted. Promotion (`RESET SLAVE ALL`) discards the relay log, so a replica that did
 * not finish applying brings only what it applied; one that drained brings all it received.
 */
export function promotablePosition(replica: ReplicaState): number {
  return replica.appliedSeq >= replica.receivedSeq ? replica.receivedSeq : replica.appliedSeq
}

const POLICIES: Record<FailoverPolicyName, FailoverPolicy> = {
  'most-advanced': {
    name: 'most-advanced',
    description: 'drain relay logs, promote the replica with the largest received GTID it has applied (safe)',
    drainRelayLogs: true,
    choose: (candidates) => maxBy(candidates, promotablePosition),
  },
  'most-advanced-semi-sync': {
    name: 'most-advanced-semi-sync',
    description:
      'drain relay logs, promote the most advanced semi-sync replica even if an async one received more (an async ' +
      'replica ahead of it diverges)',
    drainRelayLogs: true,
    choose: (candidates) => {
      const semiSync = candidates.filter((c) => c.semiSync)
      return maxBy(semiSync.length > 0 ? semiSync : candidates, promotablePosition)
    },
  },
  'first-replica': {
    name: 'first-replica',
    description: 'promote the first live replica by name, whatever it received (unsafe)',
    drainRelayLogs: true,
    choose: (candidates) => candidates[0] ?? null,
  },
  'most-applied': {
    name: 'most-applied',
    description: 'promote by the applied GTID without draining relay logs (unsafe: orchestrator #1312, B12)',
    drainRelayLogs: false,
    choose: (candidates) => maxBy(candidates, (r) => r.appliedSeq),
  },
  'route-first': {
    name: 'route-first',
    description:
      'point clients at the replica that received the most before it has applied it, then drain and promote it ' +
      '(unsafe: its reads miss acknowledged commits until its relay log is applied: stale reads)',
    drainRelayLogs: true,
    routeBeforeDrain: true,
    choose: (candidates) => maxBy(candidates, (r) => r.receivedSeq),
  },
}

export function failoverPolicy(name: FailoverPolicyName): FailoverPolicy {
  return POLICIES[name]
}
