import type { SeededRandom } from '../core/random/seeded-random.js'
import { CLIENTS, type Cluster } from '../core/cluster/cluster.js'
import { NS_PER_MS } from '../core/clock/clock.js'
import type { FailoverReport } from '../core/cluster/failover-report.js'
import type { OpDraft } from '../core/history/op.js'
import type { NemesisAction, NodeTarget } from './nemesis-action.js'

/**
 * How a failed-over old primary comes back: restarted to truncate what it never got acked (MariaDB's
 * `--init-rpl-role=SLAVE`), restarted as it is, or re-provisioned from the new primary (MySQL's clone plugin).
 */
export const REJOIN_MODES = ['truncate', 'as-is', 'clone'] as const
export type RejoinMode = (typeof REJOIN_MODES)[number]

export interface NemesisOptions {
  /** Fails over to a replica (the orchestrator the runner configured: policy, drain timeout). */
  failover: () => Promise<FailoverReport>
  rejoin: RejoinMode
  /** A demoted old primary rejoins as a semi-sync replica (the cluster runs semi-sync with acking replicas). */
  rejoinAsSemiSyncReplica: boolean
  /** Sets the clients' total rate (null: the configured one); the `load` action's lever. */
  setRate?: (opsPerSecond: number | null) => void
}

interface KilledNode {
  wasPrimary: boolean
}

/**
 * Performs nemesis actions against a cluster and records each as an invoke/info pair in the history. It remembers
 * what it broke (killed, paused, cut, slowed, stalled) so the final phase can heal all of it.
 */
export class Nemesis {
  private readonly killed = new Map<string, KilledNode>()
  /** Nodes coming back right now (a start, a re-provisioning): no other fault may pick them meanwhile. */
  private readonly restarting = new Set<string>()
  private readonly inFlight = new Set<{ f: string; value: unknown; sinceNs: number }>()
  private readonly paused = new Set<string>()
  private readonly stalled = new Set<string>()
  private readonly slowed = new Set<string>()
  private loadChanged = false
  private readonly ioStopped = new Set<string>()

  constructor(
    private readonly cluster: Cluster,
    private readonly random: SeededRandom,
    private readonly options: NemesisOptions,
    private readonly record: (draft: OpDraft) => unknown,
  ) {}

  /**
   * Performs one action and records it. Returns why the rest of the fault it belongs to must not happen, or null: a
   * fault that needs caught-up replicas (`await-replicas`) is skipped when they did not catch up in time, since it
   * would then stack a second failure on the first (a new primary killed before anyone has its data), which no
   * semi-sync setting that waits for one ack claims to survive.
   */
  async perform(action: NemesisAction): Promise<string | null> {
    const described = describeAction(action)
    this.record({ process: 'nemesis', type: 'invoke', f: action.f, value: described })
    const inFlight = { f: action.f, value: described, sinceNs: this.cluster.clock.now() }
    this.inFlight.add(inFlight)
    let value: unknown
    try {
      value = await this.apply(action)
    } catch (error) {
      this.record({ process: 'nemesis', type: 'info', f: action.f, error: String(error) })
      return action.f === 'await-replicas' ? 'the replicas could not be checked' : null
    } finally {
      this.inFlight.delete(inFlight)
    }
    this.record({ process: 'nemesis', type: 'info', f: action.f, value: value ?? null })
    const caughtUp = action.f !== 'await-replicas' || (value as { caughtUp: boolean }).caughtUp
    return caughtUp ? null : 'the replicas had not caught up'
  }

  /** The actions begun and not finished, oldest first: what a run that overran its wall-clock limit was waiting for. */
  pending(): Array<{ f: string; value: unknown; sinceNs: number }> {
    return [...this.inFlight]
  }

  /** Records an action left out because an earlier step of its fault said so (`perform`'s answer). */
  skip(action: NemesisAction, why: string): void {
    this.record({ process: 'nemesis', type: 'info', f: action.f, value: { skipped: why } })
  }

  /** The final phase: resume, heal, clear latency, unstall appliers, restart every killed node. */
  async healAll(): Promise<void> {
    if (this.paused.size > 0) await this.perform({ f: 'resume', target: 'paused' })
    await this.perform({ f: 'heal' })
    await this.perform({ f: 'clear-latency' })
    if (this.stalled.size > 0) await this.perform({ f: 'resume-applier', target: 'stalled' })
    if (this.slowed.size > 0) await this.perform({ f: 'restore-applier', target: 'slowed' })
    if (this.loadChanged) await this.perform({ f: 'load', opsPerSecond: null })
    if (this.ioStopped.size > 0) await this.perform({ f: 'start-io', target: 'stopped' })
    if (this.killed.size > 0) await this.perform({ f: 'start', target: 'killed' })
  }

  private async apply(action: NemesisAction): Promise<unknown> {
    const cluster = this.cluster
    switch (action.f) {
      case 'kill': {
        const node = await this.resolve(action.target)
        this.killed.set(node, { wasPrimary: node === cluster.primary() })
        this.paused.delete(node)
        await cluster.kill(node)
        return node
      }
      case 'start': {
        const nodes =
          action.target === 'killed'
            ? [...this.killed.keys()]
            : action.target === 'killed-replicas'
              ? [...this.killed].filter(([, k]) => !k.wasPrimary).map(([node]) => node)
              : [action.target.node]
        // Each node gets its try: one that cannot come back yet does not keep the others down.
        const started: Record<string, string> = {}
        const failures: string[] = []
        for (const node of nodes) {
          try {
            started[node] = await this.restart(node)
          } catch (error) {
            failures.push(error instanceof Error ? error.message : String(error))
          }
        }
        if (failures.length > 0) {
          const others = Object.entries(started).map(([node, how]) => `${node} ${how}`)
          throw new Error(`${failures.join('; ')}${others.length > 0 ? ` (meanwhile ${others.join(', ')})` : ''}`)
        }
        return started
      }
      case 'pause': {
        const node = await this.resolve(action.target)
        this.paused.add(node)
        await cluster.pause(node)
        return node
      }
      case 'resume': {
        const nodes = action.target === 'paused' ? [...this.paused] : [action.target.node]
        for (const node of nodes) {
          this.paused.delete(node)
          await cluster.resume(node)
        }
        return nodes
      }
      case 'partition':
        return this.partition(action)
      case 'heal':
        await cluster.healNetwork()
        return 'healed'
      case 'latency': {
        const latency = { meanNs: action.meanMs * NS_PER_MS, jitterNs: action.jitterMs * NS_PER_MS }
        const primary = cluster.primary()
        const replicas = action.target ? [await this.resolve(action.target)] : this.replicas()
        for (const replica of replicas) {
          await cluster.setLatency(primary, replica, latency)
          await cluster.setLatency(replica, primary, latency)
        }
        return { links: replicas.map((r) => `${primary}<->${r}`), meanMs: action.meanMs, jitterMs: action.jitterMs }
      }
      case 'clear-latency':
        await cluster.clearLatency()
        return 'cleared'
      case 'reset': {
        const node = await this.resolve(action.target)
        for (const other of [...cluster.nodes(), CLIENTS])
          if (other !== node) await cluster.resetConnections(node, other)
        return node
      }
      case 'failover': {
        return this.options.failover()
      }
      case 'stop-io': {
        const nodes =
          action.target === 'replicas'
            ? this.replicas().filter((n) => cluster.isAlive(n))
            : [await this.resolve(action.target)]
        for (const node of nodes) {
          this.ioStopped.add(node)
          await cluster.stopReplicationIo(node)
        }
        return nodes
      }
      case 'start-io': {
        const nodes = action.target === 'stopped' ? [...this.ioStopped] : [action.target.node]
        const started: string[] = []
        for (const node of nodes) {
          this.ioStopped.delete(node)
          // A replica that was promoted or killed meanwhile has nothing to restart.
          if (!cluster.isAlive(node) || (await cluster.replicaState(node)).source === null) continue
          await cluster.startReplication(node)
          started.push(node)
        }
        return started
      }
      case 'kill-waiters': {
        const primary = cluster.primary()
        return { node: primary, sessions: await cluster.killWaitingSessions(primary) }
      }
      case 'stall-applier': {
        const node = await this.resolve(action.target)
        this.stalled.add(node)
        await cluster.stallApplier(node, true)
        return node
      }
      case 'resume-applier': {
        const nodes = action.target === 'stalled' ? [...this.stalled] : [action.target.node]
        const resumed: string[] = []
        for (const node of nodes) {
          this.stalled.delete(node)
          // Promoted meanwhile, it has no replication left to start (a real server refuses START SLAVE SQL_THREAD);
          // one the clients already use while it drains (`route-first`) still has its source, and is resumed.
          if (!cluster.isAlive(node) || (await cluster.replicaState(node)).source === null) continue
          await cluster.stallApplier(node, false)
          resumed.push(node)
        }
        return resumed
      }
      case 'slow-applier': {
        const node = await this.resolve(action.target)
        this.slowed.add(node)
        await cluster.slowApplier(node, action.applyTimeUs)
        return { node, applyTimeUs: action.applyTimeUs }
      }
      case 'restore-applier': {
        const nodes = action.target === 'slowed' ? [...this.slowed] : [action.target.node]
        for (const node of nodes) {
          this.slowed.delete(node)
          await cluster.slowApplier(node, null)
        }
        return nodes
      }
      case 'await-replicas':
        return this.awaitReplicas(action.timeoutMs * NS_PER_MS)
      case 'load': {
        if (!this.options.setRate) throw new Error('this run has no clients whose rate can change')
        this.loadChanged = action.opsPerSecond !== null
        this.options.setRate(action.opsPerSecond)
        return action.opsPerSecond === null ? 'the configured rate' : { opsPerSecond: action.opsPerSecond }
      }
    }
  }

  /**
   * Restarts a killed node in the role it should now have: the primary it was (no failover happened), a demoted old
   * primary rejoining the new one (`--rejoin truncate` restarts it like `--init-rpl-role=SLAVE`), or a replica.
   */
  private async restart(node: string): Promise<string> {
    const entry = this.killed.get(node)
    this.killed.delete(node)
    this.stalled.delete(node)
    this.restarting.add(node)
    try {
      return await this.restartAs(node, entry)
    } catch (error) {
      // Still down (it would not start, or a refused re-provisioning stopped it): a later start tries again.
      if (!this.cluster.isAlive(node)) this.killed.set(node, entry ?? { wasPrimary: false })
      throw error
    } finally {
      this.restarting.delete(node)
    }
  }

  private async restartAs(node: string, entry: KilledNode | undefined): Promise<string> {
    const cluster = this.cluster
    const primary = cluster.primary()
    if (node === primary) {
      await cluster.start(node, 'commit')
      await cluster.promote(node)
      return 'restarted as primary'
    }
    if (entry?.wasPrimary) {
      const mode = this.options.rejoin === 'truncate' ? 'truncate' : 'commit'
      await cluster.start(node, mode)
      if (this.options.rejoin === 'clone') await cluster.reprovision(node, primary)
      await cluster.adoptBinlogPosition(node)
      await cluster.replicateFrom(node, primary, { semiSync: this.options.rejoinAsSemiSyncReplica })
      return `rejoined ${primary} (${this.options.rejoin})`
    }
    await cluster.start(node, 'commit')
    const state = await cluster.replicaState(node)
    if (state.source === primary) await cluster.startReplication(node)
    else await cluster.replicateFrom(node, primary)
    return `restarted as replica of ${primary}`
  }

  private async partition(action: Extract<NemesisAction, { f: 'partition' }>): Promise<Record<string, unknown>> {
    const cluster = this.cluster
    const primary = cluster.primary()
    const pairs: Array<[string, string]> = []
    switch (action.topology) {
      case 'replicas':
        for (const r of this.replicas()) pairs.push([primary, r])
        break
      case 'replica':
        pairs.push([primary, await this.resolve(action.target ?? 'replica')])
        break
      case 'isolate-primary':
        for (const other of [...this.replicas(), CLIENTS]) pairs.push([primary, other])
        break
      case 'clients':
        pairs.push([primary, CLIENTS])
        break
      case 'halves': {
        const shuffled = this.shuffle(cluster.nodes())
        const half = Math.ceil(shuffled.length / 2)
        const [a, b] = [shuffled.slice(0, half), shuffled.slice(half)]
        const withClients = a.includes(primary) ? b : a // clients stay with the primary's half
        for (const x of a) for (const y of b) pairs.push([x, y])
        for (const x of withClients) pairs.push([x, CLIENTS])
        break
      }
    }
    // Every direction away from the primary's side first, then the way back: on real proxies the cuts land one by one,
    // and data leaving the primary must stop before its acks do, or a commit could slip through half-cut.
    for (const [x, y] of pairs) await cluster.cut(x, y)
    for (const [x, y] of pairs) await cluster.cut(y, x)
    return { topology: action.topology, cut: pairs.map(([x, y]) => `${x}<->${y}`) }
  }

  private async awaitReplicas(timeoutNs: number): Promise<{ caughtUp: boolean; waitedMs: number }> {
    const cluster = this.cluster
    const start = cluster.clock.now()
    for (;;) {
      const primary = cluster.primary()
      let caughtUp = true
      if (cluster.isAlive(primary)) {
        const target = await cluster.binlogSeq(primary)
        for (const node of this.replicas()) {
          if (cluster.isAlive(node) && (await cluster.replicaState(node)).receivedSeq < target) caughtUp = false
        }
      }
      const waitedNs = cluster.clock.now() - start
      if (caughtUp || waitedNs >= timeoutNs) return { caughtUp, waitedMs: waitedNs / NS_PER_MS }
      await cluster.clock.sleep(50 * NS_PER_MS)
    }
  }

  private replicas(): string[] {
    const primary = this.cluster.primary()
    return this.cluster.nodes().filter((n) => n !== primary)
  }

  private shuffle(nodes: readonly string[]): string[] {
    const out = [...nodes]
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.random.int(0, i)
      ;[out[i], out[j]] = [out[j] as string, out[i] as string]
    }
    return out
  }

  private async resolve(target: NodeTarget): Promise<string> {
    if (typeof target === 'object') return target.node
    const primary = this.cluster.primary()
    // A node in the middle of coming back is up but not ready: a statement sent to it now (STOP REPLICA during a
    // CLONE) would queue behind the restart's own.
    const alive = this.cluster.nodes().filter((n) => this.cluster.isAlive(n) && !this.restarting.has(n))
    const replicas = alive.filter((n) => n !== primary)
    const pick = (nodes: string[], what: string): string => {
      if (nodes.length === 0) throw new Error(`no live ${what} to target`)
      return this.random.pick(nodes)
    }
    switch (target) {
      case 'primary':
        return primary
      case 'replica':
        return pick(replicas, 'replica')
      case 'random':
        return pick(alive, 'node')
      case 'semi-sync-replica':
      case 'async-replica': {
        const wantSemiSync = target === 'semi-sync-replica'
        const states = await Promise.all(replicas.map((r) => this.cluster.replicaState(r)))
        return pick(
          states.filter((s) => s.semiSync === wantSemiSync).map((s) => s.node),
          target,
        )
      }
    }
  }
}

function describeAction(action: NemesisAction): unknown {
  const { f: _f, ...rest } = action
  return Object.keys(rest).length === 0 ? null : rest
}
