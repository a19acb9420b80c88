import type {
  ClientAccess,
  Inspection,
  ProcessFaults,
  ReplicaState,
  ReplicationControl,
} from '../../core/cluster/cluster.js'
import type { FailoverReport } from '../../core/cluster/failover-report.js'
import { NS_PER_MS } from '../../core/clock/clock.js'
import { promotablePosition, type FailoverPolicy } from './failover-policy.js'

/** The roles a failover uses: client routing, liveness, replication control and inspection. */
export type FailoverTarget = ClientAccess & Pick<ProcessFaults, 'isAlive'> & ReplicationControl & Inspection

export interface FailoverOptions {
  /** How long to wait for each replica's SQL thread to apply what it received. */
  drainTimeoutNs: number
}

/**
 * Fails over following the recipe of docs/reference/semisync.md: stop the replicas' IO threads (the old primary is fenced: dead or cut
 * off), let each apply its relay log, choose by the policy, promote (`RESET SLAVE ALL`, read_only=0, semi-sync
 * master on), repoint the others, point clients at the new primary.
 */
export async function failover(
  cluster: FailoverTarget,
  policy: FailoverPolicy,
  options: FailoverOptions,
): Promise<FailoverReport> {
  const from = cluster.primary()
  const replicas = cluster.nodes().filter((n) => n !== from && cluster.isAlive(n))
  for (const node of replicas) await cluster.stopReplicationIo(node)
  if (policy.routeBeforeDrain) return routeThenPromote(cluster, policy, options, from, replicas)
  // Side by side under one deadline: a slow applier on one replica does not eat into another's time.
  const drained = policy.drainRelayLogs
    ? await Promise.all(replicas.map((node) => awaitDrained(cluster, node, options.drainTimeoutNs)))
    : replicas.map(() => true)
  const undrained = replicas.filter((_, i) => !drained[i])
  const candidates = await Promise.all(replicas.map((node) => cluster.replicaState(node)))
  const report = reportOf(from, policy, candidates, undrained)
  const chosen = policy.choose(candidates)
  if (!chosen) {
    for (const node of replicas) await cluster.startReplication(node)
    return { ...report, error: 'no live replica to promote' }
  }
  // Promotion discards the relay log: promoting below what a replica received but could not apply in time would drop
  // commits that replica may have acked. A draining recipe then refuses, and the cluster stays without a primary.
  const dropped = candidates.find((c) => undrained.includes(c.node) && c.receivedSeq > promotablePosition(chosen))
  if (dropped) {
    for (const node of replicas) await cluster.startReplication(node)
    return {
      ...report,
      error:
        `${dropped.node} received up to seq ${dropped.receivedSeq} but did not apply it within the drain timeout; ` +
        `promoting ${chosen.node} (seq ${promotablePosition(chosen)}) would drop it, so no replica was promoted`,
    }
  }
  await cluster.promote(chosen.node)
  for (const node of replicas) if (node !== chosen.node) await cluster.replicateFrom(node, chosen.node)
  await cluster.setPrimary(chosen.node)
  return { ...report, to: chosen.node }
}

/**
 * The unsafe recipe that moves clients first (a virtual IP switched before the promotion script ran): the replica
 * that received the most takes the clients' reads (its writes fail, read-only) while it applies its relay log, then
 * is promoted, drained or not.
 */
async function routeThenPromote(
  cluster: FailoverTarget,
  policy: FailoverPolicy,
  options: FailoverOptions,
  from: string,
  replicas: readonly string[],
): Promise<FailoverReport> {
  const candidates = await Promise.all(replicas.map((node) => cluster.replicaState(node)))
  const report = reportOf(from, policy, candidates, [])
  const chosen = policy.choose(candidates)
  if (!chosen) {
    for (const node of replicas) await cluster.startReplication(node)
    return { ...report, error: 'no live replica to promote' }
  }
  await cluster.setPrimary(chosen.node)
  const drained = await Promise.all(replicas.map((node) => awaitDrained(cluster, node, options.drainTimeoutNs)))
  await cluster.promote(chosen.node)
  for (const node of replicas) if (node !== chosen.node) await cluster.replicateFrom(node, chosen.node)
  return { ...report, to: chosen.node, undrained: replicas.filter((_, i) => !drained[i]) }
}

/** The report before the promotion: no `to` yet. */
function reportOf(
  from: string,
  policy: FailoverPolicy,
  candidates: readonly ReplicaState[],
  undrained: string[],
): FailoverReport {
  return {
    from,
    to: null,
    policy: policy.name,
    candidates: candidates.map(({ node, semiSync, received, applied, receivedSeq, appliedSeq }) => ({
      node,
      semiSync,
      received,
      applied,
      receivedSeq,
      appliedSeq,
    })),
    undrained,
  }
}

async function awaitDrained(cluster: FailoverTarget, node: string, timeoutNs: number): Promise<boolean> {
  const deadline = cluster.clock.now() + timeoutNs
  for (;;) {
    const state = await cluster.replicaState(node)
    if (state.appliedSeq >= state.receivedSeq) return true
    if (cluster.clock.now() >= deadline || !state.alive) return false
    await cluster.clock.sleep(10 * NS_PER_MS)
  }
}
