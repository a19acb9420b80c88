import type { ClientAccess, Inspection, ProcessFaults } from '../../core/cluster/cluster.js'

/** What the monitor reads: which nodes are up, and their status. */
export type MonitoredCluster = ClientAccess & Pick<ProcessFaults, 'isAlive'> & Inspection
import type { StatusSample } from '../../core/semisync/status-sample.js'

/**
 * Samples every live node's semi-sync status at an interval while the run goes on, so results can show when the
 * primary had fallen back to async (and a lost write can say whether semi-sync was OFF when it was acknowledged).
 */
export class StatusMonitor {
  private readonly samples: StatusSample[] = []
  private running = false
  private loop: Promise<void> = Promise.resolve()

  constructor(
    private readonly cluster: MonitoredCluster,
    private readonly intervalNs: number,
  ) {}

  start(): void {
    this.running = true
    this.loop = this.run()
  }

  async stop(): Promise<StatusSample[]> {
    this.running = false
    await this.loop
    return this.samples
  }

  /** Stops sampling without waiting for a sample in progress (the run overran); the samples taken so far. */
  abandon(): StatusSample[] {
    this.running = false
    return [...this.samples]
  }

  private async run(): Promise<void> {
    const { cluster } = this
    while (this.running) {
      const primary = cluster.primary()
      for (const node of cluster.nodes()) {
        if (!cluster.isAlive(node)) continue
        const time = cluster.clock.now()
        const role = node === primary ? 'primary' : 'replica'
        try {
          const s = await cluster.status(node)
          const positions = await this.positions(node, role)
          this.samples.push({
            time,
            node,
            role,
            status: s.Rpl_semi_sync_master_status,
            clients: s.Rpl_semi_sync_master_clients,
            yesTx: s.Rpl_semi_sync_master_yes_tx,
            noTx: s.Rpl_semi_sync_master_no_tx,
            noTimes: s.Rpl_semi_sync_master_no_times,
            waitSessions: s.Rpl_semi_sync_master_wait_sessions,
            slaveStatus: s.Rpl_semi_sync_slave_status,
            ...positions,
          })
        } catch (error) {
          this.samples.push({ time, node, role, error: error instanceof Error ? error.message : String(error) })
        }
      }
      await cluster.clock.sleep(this.intervalNs)
    }
  }

  /** The primary's binlog position, or a replica's received and applied ones (nothing when they cannot be read). */
  private async positions(
    node: string,
    role: 'primary' | 'replica',
  ): Promise<Pick<StatusSample, 'binlogSeq' | 'receivedSeq' | 'appliedSeq'>> {
    try {
      if (role === 'primary') return { binlogSeq: await this.cluster.binlogSeq(node) }
      const state = await this.cluster.replicaState(node)
      return { receivedSeq: state.receivedSeq, appliedSeq: state.appliedSeq }
    } catch {
      return {}
    }
  }
}
