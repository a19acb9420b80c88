import type { SeededRandom } from '../../core/random/seeded-random.js'
import type { Nemesis } from '../../nemesis/nemesis.js'
import type { NemesisStep } from '../../nemesis/nemesis-action.js'
import type { Workload } from '../../workloads/workload.js'
import type { ClientConnection, Cluster } from '../../core/cluster/cluster.js'
import type { RecoveryReport } from '../../core/cluster/recovery-report.js'
import { NS_PER_MS, NS_PER_SECOND } from '../../core/clock/clock.js'
import type { OpDraft } from '../../core/history/op.js'

export interface RunnerOptions {
  concurrency: number
  /** Operations per second over all clients; 0 = as fast as they can. */
  rate: number
  timeLimitNs: number
  opTimeoutNs: number
  recoveryTimeoutNs: number
}

export type RunnerPhase =
  'clients and nemesis' | 'healing every fault' | 'waiting for the replicas to catch up' | 'final reads' | 'done'

export interface RunnerDeps {
  cluster: Cluster
  workload: Workload
  nemesis: Nemesis
  schedule: readonly NemesisStep[]
  record: (draft: OpDraft) => unknown
  /** Draws for the operation mix and for client pacing: separate streams, so one never shifts the other. */
  workloadRandom: SeededRandom
  staggerRandom: SeededRandom
}

/**
 * Drives one run: N client threads under a rate limit until the time limit, the nemesis schedule beside them, then
 * the final phase: heal every fault, wait for the cluster to recover, and read the final state from every node.
 */
export class Runner {
  private nextProcess: number
  /** The clients' total rate now: the configured one unless the nemesis changed it (`load`). */
  private rate: number

  constructor(
    private readonly options: RunnerOptions,
    private readonly deps: RunnerDeps,
  ) {
    this.nextProcess = options.concurrency
    this.rate = options.rate
  }

  /** Changes the clients' total rate from their next operation on (null: the configured rate). */
  setRate(opsPerSecond: number | null): void {
    this.rate = opsPerSecond ?? this.options.rate
  }

  /** Where the run is: what a run stopped for overrunning its wall-clock limit says it was doing. */
  phase: RunnerPhase = 'clients and nemesis'
  private stopped = false

  /**
   * Gives the run up (it overran its wall-clock limit): clients stop before their next operation, the schedule before
   * its next step, and no later phase begins. What is in flight is left to fail as the servers go.
   */
  stop(): void {
    this.stopped = true
  }

  async run(): Promise<RecoveryReport> {
    const threads = Array.from({ length: this.options.concurrency }, (_, thread) => this.clientThread(thread))
    await Promise.all([...threads, this.runSchedule()])
    this.throwIfStopped()
    this.phase = 'healing every fault'
    await this.deps.nemesis.healAll()
    this.throwIfStopped()
    this.phase = 'waiting for the replicas to catch up'
    const recovery = await this.withErrantTransactions(await this.awaitRecovery())
    this.throwIfStopped()
    this.deps.record({ process: 'nemesis', type: 'info', f: 'recovery', value: recovery })
    this.phase = 'final reads'
    await this.finalReads()
    this.phase = 'done'
    return recovery
  }

  private throwIfStopped(): void {
    if (this.stopped) throw new Error('the run was stopped')
  }

  private async clientThread(thread: number): Promise<void> {
    const { cluster, workload, record, workloadRandom, staggerRandom } = this.deps
    const { clock } = cluster
    let process = thread
    let connection: ClientConnection | null = null
    for (;;) {
      const meanGapNs = this.rate > 0 ? (this.options.concurrency / this.rate) * NS_PER_SECOND : 0
      // Stagger: uniform gaps averaging concurrency/rate per thread, so the total rate is `rate` (Jepsen's stagger).
      await clock.sleep(meanGapNs > 0 ? Math.round(staggerRandom.float() * 2 * meanGapNs) : 1000)
      if (clock.now() >= this.options.timeLimitNs || this.stopped) break
      const op = workload.nextOp(workloadRandom)
      const node = cluster.primary()
      if (!connection || connection.node !== node) {
        connection?.close()
        connection = cluster.connect(node)
      }
      const key = op.key === undefined ? {} : { key: op.key }
      record({ process, type: 'invoke', f: op.f, ...key, value: op.value })
      const completion = await workload.invoke(connection, op, this.options.opTimeoutNs)
      record({
        process,
        type: completion.type,
        f: op.f,
        ...key,
        value: completion.value === undefined ? op.value : completion.value,
        node,
        ...(completion.error ? { error: completion.error } : {}),
      })
      if (completion.type === 'info') {
        // A crashed process never runs again: the thread continues under a fresh process id.
        connection.close()
        connection = null
        process = this.nextProcess++
      }
    }
    connection?.close()
  }

  /** Each lane's steps one after another, in time order; lanes side by side. */
  private async runSchedule(): Promise<void> {
    const { cluster, nemesis, schedule } = this.deps
    const lanes = new Map<number, NemesisStep[]>()
    for (const step of schedule) {
      if (step.atNs >= this.options.timeLimitNs) continue
      const lane = lanes.get(step.lane ?? 0)
      if (lane) lane.push(step)
      else lanes.set(step.lane ?? 0, [step])
    }
    const runLane = async (lane: number, steps: NemesisStep[]): Promise<void> => {
      let delayNs = 0
      let previousAtNs = -1
      // Steps planned for one instant of a lane are one fault's start (or heal): a step may call off the rest.
      let skipping = null as { atNs: number; why: string } | null
      for (const step of steps.sort((a, b) => a.atNs - b.atNs)) {
        if (skipping?.atNs === step.atNs) {
          nemesis.skip(step.action, skipping.why)
          continue
        }
        const dueNs = step.atNs + delayNs
        // A fault whose turn comes after the clients stopped (its lane ran late) is left to the final phase: it would
        // strike a cluster nobody uses. A fault already begun finishes its steps.
        if (step.atNs !== previousAtNs && Math.max(dueNs, cluster.clock.now()) >= this.options.timeLimitNs) break
        const wait = dueNs - cluster.clock.now()
        if (wait > 0) await cluster.clock.sleep(wait)
        // Steps planned for one instant (a fault's actions) follow each other; a later one late is pushed back.
        else if (lane !== 0 && step.atNs > previousAtNs) delayNs -= wait
        if (this.stopped) break
        previousAtNs = step.atNs
        const why = await nemesis.perform(step.action)
        skipping = why === null ? null : { atNs: step.atNs, why }
      }
    }
    const order = [...lanes.keys()].sort((a, b) => a - b)
    await Promise.all(order.map((lane) => runLane(lane, lanes.get(lane) as NemesisStep[])))
  }

  /**
   * Waits until every live replica has applied all the primary has and the primary has no commit still waiting for
   * an ack (under AFTER_SYNC such a commit is in the binlog, so replicas may hold it while the primary's own read does
   * not show it yet), or every replica's replication broke, or nothing progressed for the recovery timeout (a slow
   * applier still catching up is waited for, a stuck one is not).
   */
  private async awaitRecovery(): Promise<RecoveryReport> {
    const { cluster } = this.deps
    const start = cluster.clock.now()
    let progressAt = start
    const appliedBefore = new Map<string, number>()
    let waitingBefore = Infinity
    for (;;) {
      const primary = cluster.primary()
      const target = await cluster.binlogSeq(primary)
      const lagging: Record<string, string> = {}
      for (const node of cluster.nodes()) {
        if (node === primary) continue
        const state = await cluster.replicaState(node)
        if (!state.alive) lagging[node] = 'not running'
        else if (state.io === 'error') lagging[node] = `replication stopped: ${state.ioError ?? 'error'}`
        else if (state.appliedSeq < target)
          lagging[node] = `applied ${state.applied || 'nothing'}, primary at seq ${target}`
        if (state.appliedSeq > (appliedBefore.get(node) ?? -1)) progressAt = cluster.clock.now()
        appliedBefore.set(node, state.appliedSeq)
      }
      const stuck =
        Object.keys(lagging).length > 0 &&
        Object.values(lagging).every((why) => why.startsWith('replication stopped') || why === 'not running')
      const waiting = await this.commitsWaitingForAck(primary)
      if (waiting > 0) lagging[primary] = `${waiting} commit(s) waiting for a semi-sync ack`
      if (waiting < waitingBefore) progressAt = cluster.clock.now()
      waitingBefore = waiting
      const waitedNs = cluster.clock.now() - start
      const idleNs = cluster.clock.now() - progressAt
      if (Object.keys(lagging).length === 0 || stuck || idleNs >= this.options.recoveryTimeoutNs || this.stopped) {
        return { recovered: Object.keys(lagging).length === 0, waitedNs, lagging }
      }
      await cluster.clock.sleep(50 * NS_PER_MS)
    }
  }

  /** The primary's commits waiting for a semi-sync ack (none when it cannot say: async, or it is down). */
  private async commitsWaitingForAck(primary: string): Promise<number> {
    const { cluster } = this.deps
    if (!cluster.isAlive(primary)) return 0
    try {
      return (await cluster.status(primary)).Rpl_semi_sync_master_wait_sessions
    } catch {
      return 0
    }
  }

  /** Adds what each live node executed that the primary did not: the servers' own evidence of a divergence. */
  private async withErrantTransactions(recovery: RecoveryReport): Promise<RecoveryReport> {
    const { cluster } = this.deps
    const errant: Record<string, string> = {}
    for (const node of cluster.nodes()) {
      if (node === cluster.primary() || !cluster.isAlive(node)) continue
      try {
        const gtids = await cluster.errantTransactions(node)
        if (gtids !== '') errant[node] = gtids
      } catch {
        // A node that cannot answer now is already in `lagging`; its final read will say the rest.
      }
    }
    return Object.keys(errant).length > 0 ? { ...recovery, errant } : recovery
  }

  private async finalReads(): Promise<void> {
    const { cluster, workload, record } = this.deps
    const primary = cluster.primary()
    for (const node of cluster.nodes()) {
      const process = this.nextProcess++
      const op = workload.finalRead()
      const role = node === primary ? 'primary' : 'replica'
      const connection = cluster.connect(node)
      record({ process, type: 'invoke', f: op.f, value: op.value, node, final: true, role })
      const completion = await workload.invoke(connection, op, this.options.opTimeoutNs)
      connection.close()
      record({
        process,
        type: completion.type,
        f: op.f,
        value: completion.value === undefined ? op.value : completion.value,
        node,
        ...(completion.error ? { error: completion.error } : {}),
        final: true,
        role,
      })
    }
  }
}
