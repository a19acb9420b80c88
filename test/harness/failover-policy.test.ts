import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { SimulatedCluster } from '../../systems/sim/simulated-cluster.js'
import type { ReplicaState } from '../../core/cluster/cluster.js'
import { NS_PER_MS, NS_PER_SECOND } from '../../core/clock/clock.js'
import { DEFAULT_CONFIG, type TestConfig } from '../../harness/config/test-config.js'
import { validateConfig } from '../../harness/config/validate-config.js'
import {
  failoverPolicy,
  FAILOVER_POLICY_NAMES,
  promotablePosition,
  type FailoverPolicyName,
} from '../../harness/failover/failover-policy.js'
import type { FailoverReport } from '../../core/cluster/failover-report.js'
import { failover } from '../../harness/failover/orchestrator.js'
import { engineSpecFor } from '../../systems/sim/engine-spec.js'
import { clusterSpecFor } from '../../harness/run/cluster-spec-for.js'
import { driveSimulation } from '../../systems/sim/sim-driver.js'

function replica(node: string, receivedSeq: number, appliedSeq: number, semiSync = true): ReplicaState {
  return {
    node,
    alive: true,
    semiSync,
    source: 'n1',
    receivedSeq,
    appliedSeq,
    received: `0-1-${receivedSeq}`,
    applied: `0-1-${appliedSeq}`,
    io: 'stopped',
    ioError: null,
  }
}

const choose = (name: FailoverPolicyName, candidates: ReplicaState[]): string | null =>
  failoverPolicy(name).choose(candidates)?.node ?? null

describe('failover policies: choose', () => {
  it('every policy answers null when there is no candidate', () => {
    for (const name of FAILOVER_POLICY_NAMES) expect(choose(name, [])).toBeNull()
  })

  it('most-advanced picks the largest received GTID among drained replicas, and drains', () => {
    const policy = failoverPolicy('most-advanced')
    expect(policy.name).toBe('most-advanced')
    expect(policy.drainRelayLogs).toBe(true)
    expect(choose('most-advanced', [replica('n2', 10, 10), replica('n3', 12, 12), replica('n4', 11, 11)])).toBe('n3')
    // A replica that did not finish applying brings only what it applied: promotion discards its relay log.
    expect(choose('most-advanced', [replica('n2', 10, 10), replica('n3', 12, 5), replica('n4', 11, 11)])).toBe('n4')
    expect(choose('most-advanced', [replica('n2', 12, 5), replica('n3', 10, 10)])).toBe('n3')
    expect(promotablePosition(replica('n2', 12, 5))).toBe(5)
    expect(promotablePosition(replica('n2', 12, 12))).toBe(12)
    // Async replicas count as much as semi-sync ones.
    expect(choose('most-advanced', [replica('n2', 10, 10, true), replica('n3', 20, 20, false)])).toBe('n3')
  })

  it('most-advanced breaks ties by candidate order (the first by name)', () => {
    expect(choose('most-advanced', [replica('n2', 7, 7), replica('n3', 7, 7)])).toBe('n2')
  })

  it('most-advanced-semi-sync prefers a semi-sync replica even if an async one is ahead', () => {
    const policy = failoverPolicy('most-advanced-semi-sync')
    expect(policy.drainRelayLogs).toBe(true)
    const candidates = [replica('n2', 10, 10, true), replica('n3', 50, 50, false), replica('n4', 12, 12, true)]
    expect(choose('most-advanced-semi-sync', candidates)).toBe('n4')
    const undrained = [replica('n2', 10, 10, true), replica('n3', 50, 50, false), replica('n4', 12, 3, true)]
    expect(choose('most-advanced-semi-sync', undrained)).toBe('n2')
    expect(choose('most-advanced-semi-sync', [replica('n2', 5, 5, false), replica('n3', 1, 1, true)])).toBe('n3')
  })

  it('most-advanced-semi-sync falls back to every replica when none is semi-sync', () => {
    expect(choose('most-advanced-semi-sync', [replica('n2', 3, 3, false), replica('n3', 9, 9, false)])).toBe('n3')
  })

  it('first-replica picks the first whatever it received', () => {
    const policy = failoverPolicy('first-replica')
    expect(policy.drainRelayLogs).toBe(true)
    expect(choose('first-replica', [replica('n2', 1, 1), replica('n3', 99, 99)])).toBe('n2')
    expect(choose('first-replica', [replica('n3', 99, 99, false), replica('n2', 1, 1)])).toBe('n3')
  })

  it('most-applied picks by the applied GTID and does not drain', () => {
    const policy = failoverPolicy('most-applied')
    expect(policy.drainRelayLogs).toBe(false)
    expect(choose('most-applied', [replica('n2', 30, 5), replica('n3', 10, 10)])).toBe('n3')
  })

  it('each policy chooses a maximal candidate by its own score (property)', () => {
    const state = fc
      .record({
        received: fc.integer({ min: 0, max: 50 }),
        lag: fc.integer({ min: 0, max: 50 }),
        semiSync: fc.boolean(),
      })
      .map(({ received, lag, semiSync }) => ({ received, applied: Math.max(0, received - lag), semiSync }))
    fc.assert(
      fc.property(fc.array(state, { minLength: 1, maxLength: 8 }), (raw) => {
        const candidates = raw.map((r, i) => replica(`n${i + 2}`, r.received, r.applied, r.semiSync))
        const maxOf = (list: ReplicaState[], f: (r: ReplicaState) => number): number => Math.max(...list.map(f))
        const pick = (name: FailoverPolicyName): ReplicaState => {
          const node = choose(name, candidates)
          const found = candidates.find((c) => c.node === node)
          expect(found).toBeDefined()
          return found as ReplicaState
        }
        expect(promotablePosition(pick('most-advanced'))).toBe(maxOf(candidates, promotablePosition))
        expect(pick('most-applied').appliedSeq).toBe(maxOf(candidates, (r) => r.appliedSeq))
        expect(pick('first-replica')).toBe(candidates[0])
        expect(pick('route-first').receivedSeq).toBe(maxOf(candidates, (r) => r.receivedSeq))
        const semi = candidates.filter((c) => c.semiSync)
        const pool = semi.length > 0 ? semi : candidates
        const chosen = pick('most-advanced-semi-sync')
        expect(pool).toContain(chosen)
        expect(promotablePosition(chosen)).toBe(maxOf(pool, promotablePosition))
      }),
    )
  })
})

describe('failover(): the orchestrator on a simulated cluster', () => {
  async function cluster(overrides: Partial<TestConfig> = {}): Promise<SimulatedCluster> {
    const c = new SimulatedCluster(
      engineSpecFor(clusterSpecFor(validateConfig({ ...DEFAULT_CONFIG, ...overrides }), ['set'])),
    )
    await driveSimulation(c.sim, () => c.clock.sleep(200 * NS_PER_MS))
    return c
  }

  /** Commits `count` adds on the primary, one after another. */
  async function write(c: SimulatedCluster, count: number): Promise<void> {
    await driveSimulation(c.sim, async () => {
      const connection = c.connect(c.primary())
      for (let e = 0; e < count; e++) {
        await connection.execute({ kind: 'insert', table: 'set', key: String(e), value: e }, 5 * NS_PER_SECOND)
      }
      connection.close()
    })
  }

  /** n3 cut off, n2's applier stalled: 20 commits acked by n2 alone sit in its relay log; then the primary dies. */
  async function ackedOnlyInStalledRelayLog(): Promise<SimulatedCluster> {
    const c = await cluster()
    await c.cut('n1', 'n3')
    await c.cut('n3', 'n1')
    await c.stallApplier('n2', true)
    await write(c, 20)
    await c.kill('n1')
    return c
  }

  async function timedFailover(c: SimulatedCluster, name: FailoverPolicyName, drainTimeoutNs: number) {
    const start = c.clock.now()
    const policy = failoverPolicy(name)
    const report: FailoverReport = await driveSimulation(c.sim, () => failover(c, policy, { drainTimeoutNs }))
    return { report, elapsedNs: c.clock.now() - start }
  }

  it('with caught-up replicas promotes at once and reports nothing undrained', async () => {
    const c = await cluster()
    await write(c, 20)
    await driveSimulation(c.sim, () => c.clock.sleep(500 * NS_PER_MS))
    await c.kill('n1')
    const { report, elapsedNs } = await timedFailover(c, 'most-advanced', 2 * NS_PER_SECOND)
    expect(elapsedNs).toBe(0)
    expect(report).toMatchObject({ from: 'n1', policy: 'most-advanced', undrained: [] })
    expect(report.to).toBe(c.primary())
    expect(report.error).toBeUndefined()
    expect(report.candidates.map((x) => x.received)).toEqual(['0-1-20', '0-1-20'])
  })

  it('most-advanced waits for a stalled applier up to the timeout and reports it undrained', async () => {
    const c = await cluster()
    await c.stallApplier('n2', true)
    await write(c, 20)
    await driveSimulation(c.sim, () => c.clock.sleep(500 * NS_PER_MS))
    const before = await c.replicaState('n2')
    expect(before.receivedSeq).toBe(20)
    expect(before.appliedSeq).toBeLessThan(20)
    await c.kill('n1')
    const drainTimeoutNs = 2 * NS_PER_SECOND
    const { report, elapsedNs } = await timedFailover(c, 'most-advanced', drainTimeoutNs)
    expect(elapsedNs).toBeGreaterThanOrEqual(drainTimeoutNs)
    expect(elapsedNs).toBeLessThan(drainTimeoutNs + 100 * NS_PER_MS)
    expect(report.undrained).toEqual(['n2'])
    const n2 = report.candidates.find((x) => x.node === 'n2')
    expect(n2?.received).toBe('0-1-20')
    expect(n2?.applied).not.toBe('0-1-20')
    expect(report.to).not.toBeNull()
  })

  it('most-advanced does not promote an undrained replica over a drained one that has as much', async () => {
    const c = await cluster()
    await c.stallApplier('n2', true)
    await write(c, 20)
    await driveSimulation(c.sim, () => c.clock.sleep(500 * NS_PER_MS))
    await c.kill('n1')
    const { report } = await timedFailover(c, 'most-advanced', 2 * NS_PER_SECOND)
    expect(report.undrained).toEqual(['n2'])
    expect(report.to).toBe('n3')
    expect(await c.binlogSeq(c.primary())).toBe(20)
  })

  it('most-advanced refuses to promote when the replica that received most could not apply it in time', async () => {
    const c = await ackedOnlyInStalledRelayLog()
    const { report } = await timedFailover(c, 'most-advanced', 2 * NS_PER_SECOND)
    expect(report.undrained).toEqual(['n2'])
    expect(report.to).toBeNull()
    expect(report.error).toMatch(/n2 received up to seq 20 but did not apply it within the drain timeout/)
    expect(c.primary()).toBe('n1')
    // Nothing was discarded: once it applies, n2 still holds every acked commit.
    await c.stallApplier('n2', false)
    await driveSimulation(c.sim, () => c.clock.sleep(NS_PER_SECOND))
    expect((await c.replicaState('n2')).appliedSeq).toBe(20)
  })

  it('near miss: with the drain done in time, the same failover promotes the replica that received most', async () => {
    const c = await cluster()
    await c.cut('n1', 'n3')
    await c.cut('n3', 'n1')
    await write(c, 20)
    await c.kill('n1')
    const { report } = await timedFailover(c, 'most-advanced', 2 * NS_PER_SECOND)
    expect(report).toMatchObject({ to: 'n2', undrained: [] })
    expect(report.error).toBeUndefined()
  })

  it('most-advanced waits for a slow applier to drain, within the timeout', async () => {
    // 50 ms per transaction: the replicas ack from the relay log long before they apply.
    const c = await cluster({ applyTimeUs: 50_000 })
    await write(c, 20)
    await c.kill('n1')
    const lagging = await c.replicaState('n2')
    expect(lagging.appliedSeq).toBeLessThan(lagging.receivedSeq)
    const { report, elapsedNs } = await timedFailover(c, 'most-advanced', 10 * NS_PER_SECOND)
    expect(elapsedNs).toBeGreaterThan(0)
    expect(elapsedNs).toBeLessThan(10 * NS_PER_SECOND)
    expect(report.undrained).toEqual([])
    expect(report.candidates.every((x) => x.applied === x.received)).toBe(true)
  })

  it('most-applied does not drain: it promotes at once, by applied position', async () => {
    const c = await cluster()
    await c.stallApplier('n2', true)
    await write(c, 20)
    await driveSimulation(c.sim, () => c.clock.sleep(500 * NS_PER_MS))
    await c.kill('n1')
    const { report, elapsedNs } = await timedFailover(c, 'most-applied', 2 * NS_PER_SECOND)
    expect(elapsedNs).toBe(0)
    expect(report.undrained).toEqual([])
    expect(report.to).toBe('n3')
    expect(c.primary()).toBe('n3')
    // The other replica now replicates from the new primary.
    expect((await c.replicaState('n2')).source).toBe('n3')
  })

  it('route-first points clients at the replica that received most before it has applied it', async () => {
    const c = await ackedOnlyInStalledRelayLog()
    let routedAt: { primary: string; appliedSeq: number } | null = null
    const { report } = await driveSimulation(c.sim, async () => {
      const running = failover(c, failoverPolicy('route-first'), { drainTimeoutNs: 5 * NS_PER_SECOND })
      await c.clock.sleep(NS_PER_SECOND)
      routedAt = { primary: c.primary(), appliedSeq: (await c.replicaState('n2')).appliedSeq }
      await c.stallApplier('n2', false)
      return { report: await running }
    })
    // A second into the failover the clients already use n2, which has applied none of the 20 it acked.
    expect(routedAt).toEqual({ primary: 'n2', appliedSeq: 0 })
    expect(report).toMatchObject({ to: 'n2', policy: 'route-first', undrained: [] })
    expect((await c.replicaState('n2')).appliedSeq).toBe(20)
  })

  it('near miss: most-advanced keeps the clients away from that replica until it has applied everything', async () => {
    const c = await ackedOnlyInStalledRelayLog()
    let primaryMeanwhile = ''
    const { report } = await driveSimulation(c.sim, async () => {
      const running = failover(c, failoverPolicy('most-advanced'), { drainTimeoutNs: 5 * NS_PER_SECOND })
      await c.clock.sleep(NS_PER_SECOND)
      primaryMeanwhile = c.primary()
      await c.stallApplier('n2', false)
      return { report: await running }
    })
    expect(primaryMeanwhile).toBe('n1')
    expect(report).toMatchObject({ to: 'n2', undrained: [] })
    expect(c.primary()).toBe('n2')
  })

  it('reports an error and changes nothing when no replica is alive', async () => {
    const c = await cluster({ replicas: 1, semiSyncReplicas: 1 })
    await c.kill('n2')
    await c.kill('n1')
    const { report } = await timedFailover(c, 'most-advanced', NS_PER_SECOND)
    expect(report.to).toBeNull()
    expect(report.error).toMatch(/no live replica/)
    expect(c.primary()).toBe('n1')
  })
})
