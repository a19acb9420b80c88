import type { ClientConnection, Cluster, LinkLatency, ReplicaState, StartMode } from '../../core/cluster/cluster.js'
import { formatGtid } from './engine/gtid.js'
import { EngineCluster, type EngineClusterSpec } from './engine/engine-cluster.js'
import type { SemiSyncStatus } from '../../core/semisync/semi-sync-status.js'
import { SimClientConnection } from './engine/sim-client-connection.js'
import type { Statement, StatementResult } from '../../core/sql/statement.js'
import { VirtualClock } from './simulator/virtual-clock.js'

/** The built-in engine as a {@link Cluster}: every call acts on simulated nodes at the current virtual instant. */
export class SimulatedCluster implements Cluster {
  readonly engine: EngineCluster
  readonly clock: VirtualClock
  private current: string

  constructor(spec: EngineClusterSpec) {
    this.engine = new EngineCluster(spec)
    this.clock = new VirtualClock(this.engine.sim)
    this.current = this.engine.boot()
  }

  get sim(): EngineCluster['sim'] {
    return this.engine.sim
  }

  nodes(): string[] {
    return [...this.engine.nodes.keys()]
  }

  primary(): string {
    return this.current
  }

  connect(node: string): ClientConnection {
    const sim = this.engine.sim
    const connection = new SimClientConnection(sim, this.engine.network, node)
    return {
      node,
      execute(statement: Statement, timeoutNs: number): Promise<StatementResult> {
        return new Promise((resolve, reject) => {
          connection.execute(statement, timeoutNs, (outcome) =>
            sim.wakeAsync(() => (outcome.ok ? resolve(outcome.result) : reject(outcome.error))),
          )
        })
      },
      close: () => connection.close(),
    }
  }

  async kill(node: string): Promise<void> {
    this.engine.node(node).kill()
  }

  async start(node: string, mode: StartMode): Promise<void> {
    this.engine.node(node).start(mode)
  }

  async pause(node: string): Promise<void> {
    this.engine.node(node).pause()
  }

  async resume(node: string): Promise<void> {
    this.engine.node(node).resume()
  }

  isAlive(node: string): boolean {
    return this.engine.node(node).isAlive
  }

  async cut(from: string, to: string): Promise<void> {
    this.engine.network.cutLink(from, to)
  }

  async healNetwork(): Promise<void> {
    this.engine.network.healAll()
  }

  async setLatency(from: string, to: string, latency: LinkLatency): Promise<void> {
    this.engine.network.setLatency(from, to, latency)
  }

  async clearLatency(): Promise<void> {
    this.engine.network.clearLatencies()
  }

  async resetConnections(a: string, b: string): Promise<void> {
    this.engine.network.reset(a, b)
  }

  async stallApplier(node: string, stalled: boolean): Promise<void> {
    this.engine.node(node).channel.stallApplier(stalled)
  }

  async slowApplier(node: string, applyTimeUs: number | null): Promise<void> {
    this.engine.node(node).channel.setApplyTime(applyTimeUs === null ? null : Math.round(applyTimeUs * 1000))
  }

  async killWaitingSessions(node: string): Promise<number[]> {
    const server = this.engine.node(node)
    const sessions = server.waitingSessions()
    for (const id of sessions) server.killSession(id)
    return sessions
  }

  async replicaState(node: string): Promise<ReplicaState> {
    const server = this.engine.node(node)
    const received = server.channel.receivedGtid()
    return {
      node,
      alive: server.isAlive,
      semiSync: server.settings.semiSyncReplica,
      source: server.channel.master,
      receivedSeq: received.seq,
      appliedSeq: server.slavePos.seq,
      received: formatGtid(received),
      applied: formatGtid(server.slavePos),
      io: server.channel.ioState,
      ioError: server.channel.lastIoError,
    }
  }

  async stopReplicationIo(node: string): Promise<void> {
    this.engine.node(node).channel.stopIo()
  }

  async startReplication(node: string): Promise<void> {
    this.engine.node(node).channel.start()
  }

  async replicateFrom(node: string, source: string, options: { semiSync?: boolean } = {}): Promise<void> {
    const server = this.engine.node(node)
    if (options.semiSync !== undefined) server.settings.semiSyncReplica = options.semiSync
    server.replicateFrom(source)
  }

  async adoptBinlogPosition(node: string): Promise<void> {
    this.engine.node(node).adoptBinlogPositionAsSlavePosition()
  }

  async promote(node: string): Promise<void> {
    this.engine.node(node).promote(this.engine.spec.master)
  }

  async setPrimary(node: string): Promise<void> {
    this.current = node
  }

  async binlogSeq(node: string): Promise<number> {
    return this.engine.node(node).lastBinlogGtid().seq
  }

  async errantTransactions(node: string): Promise<string> {
    const primary = this.engine.node(this.current)
    return this.engine.node(node).binloggedOnlyHere(primary).map(formatGtid).join(',')
  }

  /** The engine models no clone plugin; `--rejoin clone` is refused for `--db sim` before a run starts. */
  async reprovision(node: string): Promise<void> {
    throw new Error(`${node}: the engine cannot re-provision a node (no clone plugin); use --rejoin truncate or as-is`)
  }

  async status(node: string): Promise<SemiSyncStatus> {
    return this.engine.node(node).status()
  }

  logs(node: string): string {
    return this.engine
      .node(node)
      .log.map((line) => `${(line.time / 1e9).toFixed(6)} [${line.node}] ${line.message}`)
      .join('\n')
  }

  async teardown(): Promise<void> {}
}
