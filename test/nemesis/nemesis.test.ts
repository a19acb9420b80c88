import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { SimulatedCluster } from '../../systems/sim/simulated-cluster.js'
import { SeededRandom } from '../../core/random/seeded-random.js'
import { CLIENTS } from '../../core/cluster/cluster.js'
import { NS_PER_MS, NS_PER_SECOND } from '../../core/clock/clock.js'
import { DEFAULT_CONFIG, type TestConfig } from '../../harness/config/test-config.js'
import { validateConfig } from '../../harness/config/validate-config.js'
import { failoverPolicy, type FailoverPolicyName } from '../../harness/failover/failover-policy.js'
import { failover } from '../../harness/failover/orchestrator.js'
import type { FailoverReport } from '../../core/cluster/failover-report.js'
import type { OpDraft } from '../../core/history/op.js'
import { engineSpecFor } from '../../systems/sim/engine-spec.js'
import { clusterSpecFor } from '../../harness/run/cluster-spec-for.js'
import { driveSimulation } from '../../systems/sim/sim-driver.js'
import { faultPackage, FAULT_NAMES, type FaultName } from '../../nemesis/fault-packages.js'
import type { NemesisAction, NemesisStep } from '../../nemesis/nemesis-action.js'
import { cyclicSchedule } from '../../nemesis/nemesis-schedule.js'
import { Nemesis, type RejoinMode } from '../../nemesis/nemesis.js'

interface Rig {
  cluster: SimulatedCluster
  nemesis: Nemesis
  recorded: OpDraft[]
  perform(action: NemesisAction): Promise<void>
  settle(ns?: number): Promise<void>
  /** The value of the last recorded nemesis completion. */
  lastValue(): unknown
}

interface RigOptions {
  rejoin?: RejoinMode
  policy?: FailoverPolicyName
  /** Seed of the nemesis's own random stream (targets, halves). */
  randomSeed?: number
}

async function rig(overrides: Partial<TestConfig> = {}, options: RigOptions = {}): Promise<Rig> {
  const config = validateConfig({ ...DEFAULT_CONFIG, ...overrides })
  const cluster = new SimulatedCluster(engineSpecFor(clusterSpecFor(config, ['set'])))
  const recorded: OpDraft[] = []
  const nemesis = new Nemesis(
    cluster,
    new SeededRandom(options.randomSeed ?? config.seed, 'nemesis'),
    {
      failover: () =>
        failover(cluster, failoverPolicy(options.policy ?? 'most-advanced'), { drainTimeoutNs: 5 * NS_PER_SECOND }),
      rejoin: options.rejoin ?? 'truncate',
      rejoinAsSemiSyncReplica: true,
    },
    (draft) => recorded.push(draft),
  )
  const settle = (ns = 200 * NS_PER_MS): Promise<void> => driveSimulation(cluster.sim, () => cluster.clock.sleep(ns))
  // Let the replicas connect to the primary before any fault.
  await settle()
  return {
    cluster,
    nemesis,
    recorded,
    perform: async (action) => {
      await driveSimulation(cluster.sim, () => nemesis.perform(action))
    },
    settle,
    lastValue: () => recorded[recorded.length - 1]?.value,
  }
}

const endpoints = (cluster: SimulatedCluster): string[] => [...cluster.nodes(), CLIENTS]

/** Every ordered pair of endpoints whose link is cut, as `a->b`. */
function cutLinks(cluster: SimulatedCluster): string[] {
  const cut: string[] = []
  for (const a of endpoints(cluster)) {
    for (const b of endpoints(cluster)) if (a !== b && cluster.engine.network.isCut(a, b)) cut.push(`${a}->${b}`)
  }
  return cut.sort()
}

/** Both directions of each pair. */
const bothWays = (...pairs: Array<[string, string]>): string[] =>
  pairs.flatMap(([a, b]) => [`${a}->${b}`, `${b}->${a}`]).sort()

describe('Nemesis: partitions cut exactly the intended links', () => {
  it('starts with nothing cut', async () => {
    const { cluster } = await rig()
    expect(cutLinks(cluster)).toEqual([])
  })

  it('replicas: the primary from every replica, clients untouched', async () => {
    const { cluster, perform } = await rig()
    await perform({ f: 'partition', topology: 'replicas' })
    expect(cutLinks(cluster)).toEqual(bothWays(['n1', 'n2'], ['n1', 'n3']))
  })

  it('replica n2: only the primary and n2', async () => {
    const { cluster, perform, lastValue } = await rig()
    await perform({ f: 'partition', topology: 'replica', target: { node: 'n2' } })
    expect(cutLinks(cluster)).toEqual(bothWays(['n1', 'n2']))
    expect(lastValue()).toEqual({ topology: 'replica', cut: ['n1<->n2'] })
  })

  it('replica with a random target: the primary and one replica', async () => {
    const { cluster, perform } = await rig({ replicas: 4, semiSyncReplicas: 4 })
    await perform({ f: 'partition', topology: 'replica', target: 'replica' })
    const cut = cutLinks(cluster)
    expect(cut).toHaveLength(2)
    const other = cut.find((l) => l.startsWith('n1->'))?.slice('n1->'.length) as string
    expect(['n2', 'n3', 'n4', 'n5']).toContain(other)
    expect(cut).toEqual(bothWays(['n1', other]))
  })

  it('isolate-primary: the primary from every replica and from the clients', async () => {
    const { cluster, perform } = await rig()
    await perform({ f: 'partition', topology: 'isolate-primary' })
    expect(cutLinks(cluster)).toEqual(bothWays(['n1', 'n2'], ['n1', 'n3'], ['n1', CLIENTS]))
  })

  it('partitions follow the current primary after a failover', async () => {
    const { cluster, perform } = await rig()
    await perform({ f: 'kill', target: 'primary' })
    await perform({ f: 'failover' })
    const primary = cluster.primary()
    expect(primary).not.toBe('n1')
    await perform({ f: 'partition', topology: 'isolate-primary' })
    const others = cluster.nodes().filter((n) => n !== primary)
    const pairs = others.map((n): [string, string] => [primary, n])
    expect(cutLinks(cluster)).toEqual(bothWays(...pairs, [primary, CLIENTS]))
  })

  for (const replicas of [2, 3, 4]) {
    it(`halves with ${replicas + 1} nodes: a complete cut between two halves, clients with the primary`, async () => {
      // Several nemesis seeds, so the primary lands in the larger and in the smaller half.
      const primarySides = new Set<number>()
      for (let seed = 1; seed <= 12; seed++) {
        const { cluster, perform } = await rig({ replicas, semiSyncReplicas: replicas }, { randomSeed: seed })
        await perform({ f: 'partition', topology: 'halves' })
        const nodes = cluster.nodes()
        const primary = cluster.primary()
        const net = cluster.engine.network
        const mySide = nodes.filter((n) => n === primary || !net.isCut(primary, n))
        const otherSide = nodes.filter((n) => !mySide.includes(n))
        expect(otherSide.length).toBeGreaterThan(0)
        const sizes = [Math.floor(nodes.length / 2), Math.ceil(nodes.length / 2)].sort()
        expect([mySide.length, otherSide.length].sort()).toEqual(sizes)
        primarySides.add(mySide.length)
        const expected: Array<[string, string]> = []
        for (const a of mySide) for (const b of otherSide) expected.push([a, b])
        for (const b of otherSide) expected.push([b, CLIENTS])
        expect(cutLinks(cluster), `seed ${seed}`).toEqual(bothWays(...expected))
        for (const a of mySide) expect(net.isCut(a, CLIENTS)).toBe(false)
      }
      // With an odd count the halves differ in size, and the seeds put the primary in each.
      expect(primarySides.size).toBe((replicas + 1) % 2 === 1 ? 2 : 1)
    })
  }

  it('heal clears every cut', async () => {
    const { cluster, perform, lastValue } = await rig()
    await perform({ f: 'partition', topology: 'isolate-primary' })
    await perform({ f: 'partition', topology: 'halves' })
    expect(cutLinks(cluster).length).toBeGreaterThan(0)
    await perform({ f: 'heal' })
    expect(cutLinks(cluster)).toEqual([])
    expect(lastValue()).toBe('healed')
  })
})

describe('Nemesis: kill, failover, restart', () => {
  it('kill primary then failover promotes a replica and records from/to/policy', async () => {
    const { cluster, perform, recorded } = await rig()
    await perform({ f: 'kill', target: 'primary' })
    expect(cluster.isAlive('n1')).toBe(false)
    expect(cluster.primary()).toBe('n1') // killing alone does not move the clients
    await perform({ f: 'failover' })
    const primary = cluster.primary()
    expect(['n2', 'n3']).toContain(primary)
    const report = recorded.find((d) => d.f === 'failover' && d.type === 'info')?.value as FailoverReport
    expect(report).toMatchObject({ from: 'n1', to: primary, policy: 'most-advanced', undrained: [] })
    expect(report.candidates.map((c) => c.node)).toEqual(['n2', 'n3'])
    // The other replica now follows the new primary.
    const other = primary === 'n2' ? 'n3' : 'n2'
    expect((await cluster.replicaState(other)).source).toBe(primary)
    expect((await cluster.replicaState(primary)).source).toBeNull()
  })

  for (const rejoin of ['truncate', 'as-is'] as const) {
    it(`start killed rejoins the old primary as a replica of the new one (${rejoin})`, async () => {
      const { cluster, perform, settle, lastValue } = await rig({}, { rejoin })
      await perform({ f: 'kill', target: 'primary' })
      await perform({ f: 'failover' })
      const primary = cluster.primary()
      await perform({ f: 'start', target: 'killed' })
      expect(lastValue()).toEqual({ n1: `rejoined ${primary} (${rejoin})` })
      expect(cluster.primary()).toBe(primary)
      expect(cluster.isAlive('n1')).toBe(true)
      await settle(NS_PER_SECOND)
      const state = await cluster.replicaState('n1')
      expect(state.source).toBe(primary)
      expect(state.semiSync).toBe(true)
      expect(state.io).toBe('running')
      // Nothing is left to restart.
      await perform({ f: 'start', target: 'killed' })
      expect(lastValue()).toEqual({})
    })
  }

  it('a killed primary restarted without a failover is the primary again', async () => {
    const { cluster, perform, lastValue } = await rig()
    await perform({ f: 'kill', target: 'primary' })
    await perform({ f: 'start', target: 'killed' })
    expect(lastValue()).toEqual({ n1: 'restarted as primary' })
    expect(cluster.primary()).toBe('n1')
    expect(cluster.isAlive('n1')).toBe(true)
  })

  it('a killed replica restarts as a replica of the primary', async () => {
    const { cluster, perform, recorded, lastValue } = await rig()
    await perform({ f: 'kill', target: 'replica' })
    const killed = recorded.find((d) => d.f === 'kill' && d.type === 'info')?.value as string
    expect(['n2', 'n3']).toContain(killed)
    expect(cluster.isAlive(killed)).toBe(false)
    await perform({ f: 'start', target: 'killed' })
    expect(lastValue()).toEqual({ [killed]: 'restarted as replica of n1' })
    expect((await cluster.replicaState(killed)).source).toBe('n1')
  })

  it('a node that cannot start yet stays killed for the next start, and does not keep the others down', async () => {
    const { cluster, perform, recorded, lastValue } = await rig()
    await perform({ f: 'kill', target: { node: 'n2' } })
    await perform({ f: 'kill', target: { node: 'n3' } })
    const start = cluster.start.bind(cluster)
    let refusals = 1
    cluster.start = async (node, mode) => {
      if (node === 'n2' && refusals-- > 0) throw new Error('n2: refused for now')
      return start(node, mode)
    }
    await perform({ f: 'start', target: 'killed' })
    expect(recorded.at(-1)?.error).toBe('Error: n2: refused for now (meanwhile n3 restarted as replica of n1)')
    expect(cluster.isAlive('n2')).toBe(false)
    expect(cluster.isAlive('n3')).toBe(true)
    await perform({ f: 'start', target: 'killed' })
    expect(lastValue()).toEqual({ n2: 'restarted as replica of n1' })
    expect(cluster.isAlive('n2')).toBe(true)
    // A node that did come back is not restarted again.
    await perform({ f: 'start', target: 'killed' })
    expect(lastValue()).toEqual({})
  })

  it('a node in the middle of coming back is no target for another fault (seen: STOP REPLICA queued behind a CLONE)', async () => {
    const { cluster, nemesis, perform, recorded } = await rig()
    await perform({ f: 'kill', target: { node: 'n2' } })
    // n2's restart is held after its process is up (as a re-provisioning keeps it), while other faults go on.
    const startReplication = cluster.startReplication.bind(cluster)
    let releaseRestart = (): void => {}
    const held = new Promise<void>((resolve) => (releaseRestart = resolve))
    cluster.startReplication = async (node) => {
      await held
      return startReplication(node)
    }
    await driveSimulation(cluster.sim, async () => {
      const restart = nemesis.perform({ f: 'start', target: 'killed' })
      await cluster.clock.sleep(10 * NS_PER_MS)
      expect(cluster.isAlive('n2')).toBe(true)
      for (let i = 0; i < 20; i++) await nemesis.perform({ f: 'stall-applier', target: 'replica' })
      releaseRestart()
      await restart
    })
    const stalled = recorded.filter((d) => d.f === 'stall-applier' && d.type === 'info').map((d) => d.value)
    expect(new Set(stalled)).toEqual(new Set(['n3']))
    // Once back, it is a target again.
    const picks = new Set<unknown>()
    for (let i = 0; i < 20; i++) {
      await perform({ f: 'stall-applier', target: 'replica' })
      picks.add(recorded.at(-1)?.value)
    }
    expect(picks).toEqual(new Set(['n2', 'n3']))
  })

  it('resume-applier leaves out a stalled replica that was promoted meanwhile, and resumes the others', async () => {
    const { cluster, perform, recorded, lastValue } = await rig()
    await perform({ f: 'stall-applier', target: { node: 'n2' } })
    await perform({ f: 'stall-applier', target: { node: 'n3' } })
    await perform({ f: 'kill', target: 'primary' })
    await perform({ f: 'failover' })
    const promoted = cluster.primary()
    expect(['n2', 'n3']).toContain(promoted)
    const other = promoted === 'n2' ? 'n3' : 'n2'
    const stallCalls: string[] = []
    const stall = cluster.stallApplier.bind(cluster)
    cluster.stallApplier = async (node, stalled) => {
      stallCalls.push(node)
      return stall(node, stalled)
    }
    await perform({ f: 'resume-applier', target: 'stalled' })
    expect(recorded.at(-1)?.error).toBeUndefined()
    expect(lastValue()).toEqual([other])
    expect(stallCalls).toEqual([other])
  })

  it('resume-applier resumes the replica the clients already use while it drains (route-first)', async () => {
    const { cluster, nemesis, recorded } = await rig({}, { policy: 'route-first' })
    const run = (f: () => Promise<unknown>): Promise<unknown> => driveSimulation(cluster.sim, f)
    await run(() => nemesis.perform({ f: 'stall-applier', target: { node: 'n2' } }))
    await run(() => nemesis.perform({ f: 'partition', topology: 'replica', target: { node: 'n3' } }))
    await run(async () => {
      const connection = cluster.connect('n1')
      for (let e = 0; e < 10; e++)
        await connection.execute({ kind: 'insert', table: 'set', key: String(e), value: e }, NS_PER_SECOND)
      connection.close()
    })
    await run(() => nemesis.perform({ f: 'kill', target: 'primary' }))
    await run(async () => {
      const failingOver = nemesis.perform({ f: 'failover' })
      await cluster.clock.sleep(NS_PER_SECOND)
      expect(cluster.primary()).toBe('n2')
      await nemesis.perform({ f: 'resume-applier', target: 'stalled' })
      await failingOver
    })
    expect(recorded.find((d) => d.f === 'resume-applier' && d.type === 'info')?.value).toEqual(['n2'])
    expect(recorded.find((d) => d.f === 'failover' && d.type === 'info')?.value).toMatchObject({
      to: 'n2',
      undrained: [],
    })
    expect((await cluster.replicaState('n2')).appliedSeq).toBe(10)
  })

  it('healAll restarts killed nodes, resumes paused ones and heals the network', async () => {
    const { cluster, nemesis, perform, recorded } = await rig({ replicas: 3, semiSyncReplicas: 3 })
    await perform({ f: 'kill', target: { node: 'n3' } })
    await perform({ f: 'pause', target: { node: 'n4' } })
    await perform({ f: 'partition', topology: 'replicas' })
    const before = recorded.length
    await driveSimulation(cluster.sim, () => nemesis.healAll())
    expect(recorded.slice(before).map((d) => `${d.type}:${d.f}`)).toEqual([
      'invoke:resume',
      'info:resume',
      'invoke:heal',
      'info:heal',
      'invoke:clear-latency',
      'info:clear-latency',
      'invoke:start',
      'info:start',
    ])
    expect(cutLinks(cluster)).toEqual([])
    expect(cluster.isAlive('n3')).toBe(true)
  })

  it('records a failed action as info with the error, and goes on', async () => {
    const { perform, recorded } = await rig({ replicas: 1, semiSyncReplicas: 1 })
    await perform({ f: 'kill', target: { node: 'n2' } })
    await perform({ f: 'kill', target: 'replica' })
    const last = recorded[recorded.length - 1]
    expect(last).toMatchObject({ process: 'nemesis', type: 'info', f: 'kill' })
    expect(last?.error).toMatch(/no live replica to target/)
  })

  it('records every action as an invoke then an info with the same f', async () => {
    const { perform, recorded } = await rig()
    const actions: NemesisAction[] = [
      { f: 'partition', topology: 'replicas' },
      { f: 'heal' },
      { f: 'latency', meanMs: 100, jitterMs: 10 },
      { f: 'clear-latency' },
      { f: 'pause', target: 'random' },
      { f: 'resume', target: 'paused' },
      { f: 'stall-applier', target: { node: 'n2' } },
      { f: 'resume-applier', target: 'stalled' },
      { f: 'reset', target: { node: 'n3' } },
      { f: 'kill', target: 'primary' },
      { f: 'failover' },
      { f: 'start', target: 'killed' },
    ]
    for (const action of actions) await perform(action)
    expect(recorded).toHaveLength(2 * actions.length)
    actions.forEach((action, i) => {
      const [invoke, info] = [recorded[2 * i], recorded[2 * i + 1]]
      expect(invoke).toMatchObject({ process: 'nemesis', type: 'invoke', f: action.f })
      expect(info).toMatchObject({ process: 'nemesis', type: 'info', f: action.f })
      expect(info?.error, `${action.f} failed`).toBeUndefined()
    })
    // The invoke carries the action's arguments; the latency info names the links it slowed.
    expect(recorded[4]?.value).toEqual({ meanMs: 100, jitterMs: 10 })
    expect(recorded[5]?.value).toEqual({ links: ['n1<->n2', 'n1<->n3'], meanMs: 100, jitterMs: 10 })
  })
})

describe('cyclicSchedule', () => {
  const S = NS_PER_SECOND
  const options = { latencyMs: 200, latencyJitterMs: 50, burstRate: 2000, slowApplyTimeUs: 20_000 }
  const schedule = (faults: readonly FaultName[], intervalS: number, limitS: number, seed = 1): NemesisStep[] =>
    cyclicSchedule(faults, intervalS * S, limitS * S, new SeededRandom(seed, 'nemesis-schedule'), options)

  it('kill-primary every 2 s over 10 s: start at 2 and 6, heal at 4 and 8', () => {
    expect(schedule(['kill-primary'], 2, 10)).toEqual([
      { atNs: 2 * S, action: { f: 'kill', target: 'primary' } },
      { atNs: 2 * S, action: { f: 'failover' } },
      { atNs: 4 * S, action: { f: 'start', target: 'killed' } },
      { atNs: 6 * S, action: { f: 'kill', target: 'primary' } },
      { atNs: 6 * S, action: { f: 'failover' } },
      { atNs: 8 * S, action: { f: 'start', target: 'killed' } },
    ])
  })

  it('drops a heal that would fall on or after the time limit', () => {
    expect(schedule(['partition-replicas'], 2, 8)).toEqual([
      { atNs: 2 * S, action: { f: 'partition', topology: 'replicas' } },
      { atNs: 4 * S, action: { f: 'heal' } },
      { atNs: 6 * S, action: { f: 'partition', topology: 'replicas' } },
    ])
  })

  it('alternates start and stop at the interval and never passes the time limit (property)', () => {
    const faults = FAULT_NAMES.filter((f) => f !== 'none')
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...faults), { minLength: 1, maxLength: faults.length }),
        fc.integer({ min: 1, max: 5_000 }),
        // The limit as a number of intervals (fractions included), so the cycle count stays small.
        fc.integer({ min: 1, max: 25_000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (list, intervalMs, limitThousandths, seed) => {
          const intervalNs = intervalMs * NS_PER_MS
          const limitNs = Math.round((intervalNs * limitThousandths) / 1000)
          const steps = cyclicSchedule(list, intervalNs, limitNs, new SeededRandom(seed, 's'), options)
          const times = [...new Set(steps.map((s) => s.atNs))]
          for (const step of steps) expect(step.atNs).toBeLessThan(limitNs)
          // Sorted, at multiples of the interval: odd multiples start a fault, even ones heal the one just started.
          expect(steps.map((s) => s.atNs)).toEqual([...steps.map((s) => s.atNs)].sort((a, b) => a - b))
          times.forEach((t, i) => expect(t).toBe((i + 1) * intervalNs))
          const cycles = Math.ceil((limitNs - intervalNs) / (2 * intervalNs))
          expect(times.filter((t) => (t / intervalNs) % 2 === 1)).toHaveLength(Math.max(0, cycles))
          for (let t = intervalNs; t < limitNs; t += 2 * intervalNs) {
            const started = steps.filter((s) => s.atNs === t).map((s) => s.action)
            const packages = list.map((f) => faultPackage(f, options))
            const fault = packages.find((p) => JSON.stringify(p.start) === JSON.stringify(started))
            expect(fault, `no fault starts with ${JSON.stringify(started)}`).toBeDefined()
            const healed = steps.filter((s) => s.atNs === t + intervalNs).map((s) => s.action)
            expect(healed).toEqual(t + intervalNs < limitNs ? fault?.stop : [])
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('is the same for the same seed and differs across seeds for a multi-fault list', () => {
    const faults: FaultName[] = ['kill-primary', 'pause', 'partition-replicas', 'isolate-primary', 'latency']
    const a = schedule(faults, 1, 60, 1)
    expect(schedule(faults, 1, 60, 1)).toEqual(a)
    expect(schedule(faults, 1, 60, 2)).not.toEqual(a)
    // It does mix the faults.
    const kinds = new Set(a.map((s) => s.action.f))
    expect(kinds.size).toBeGreaterThan(3)
  })

  it('none (alone, or as the only entry) yields no steps', () => {
    expect(schedule(['none'], 1, 60)).toEqual([])
    expect(schedule([], 1, 60)).toEqual([])
  })

  it('an interval as long as the time limit yields no steps', () => {
    expect(schedule(['kill-primary'], 10, 10)).toEqual([])
  })
})
