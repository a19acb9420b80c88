import type { DbError } from '../sql/db-error.js'
import type { SemiSyncStatus } from '../semisync/semi-sync-status.js'
import type { Statement, StatementResult } from '../sql/statement.js'
import type { Clock } from '../clock/clock.js'

/** One client session against one node. `execute` rejects with a {@link DbError}. */
export interface ClientConnection {
  readonly node: string
  execute(statement: Statement, timeoutNs: number): Promise<StatementResult>
  close(): void
}

export type { DbError }

/** How a restarted node treats binlogged transactions its engine never committed. */
export type StartMode = 'commit' | 'truncate'

/** What the failover orchestrator needs to know about a replica. */
export interface ReplicaState {
  node: string
  alive: boolean
  semiSync: boolean
  /** The configured replication source, if any. */
  source: string | null
  /**
   * Sequence number of the last GTID received into the relay log (MariaDB `Gtid_IO_Pos`), or applied if further; MySQL:
   * the number of transactions in `Retrieved_Gtid_Set ∪ Executed_Gtid_Set` (nested along one chain of primaries).
   */
  receivedSeq: number
  /** Sequence number of the last GTID applied (MariaDB `gtid_slave_pos`; MySQL: transactions in `gtid_executed`). */
  appliedSeq: number
  received: string
  applied: string
  io: string
  ioError: string | null
}

/** The endpoint that stands for every client process in network faults. */
export const CLIENTS = 'clients'

export interface LinkLatency {
  meanNs: number
  jitterNs: number
}

/** Client access: where operations go, and sessions to send them through. */
export interface ClientAccess {
  /** Virtual time under the simulator, real time on real servers. */
  readonly clock: Clock
  nodes(): string[]
  /** Where clients send their operations now. */
  primary(): string
  connect(node: string): ClientConnection
  /** Points clients at a new primary. */
  setPrimary(node: string): Promise<void>
}

/** Process faults: what `kill -9`, SIGSTOP/SIGCONT and a restart do to one node. */
export interface ProcessFaults {
  kill(node: string): Promise<void>
  start(node: string, mode: StartMode): Promise<void>
  pause(node: string): Promise<void>
  resume(node: string): Promise<void>
  isAlive(node: string): boolean
}

/** Network faults between nodes, and between a node and the clients ({@link CLIENTS}). */
export interface NetworkFaults {
  /** Cuts the link from `from` to `to` one way (node names or {@link CLIENTS}). */
  cut(from: string, to: string): Promise<void>
  healNetwork(): Promise<void>
  setLatency(from: string, to: string, latency: LinkLatency): Promise<void>
  clearLatency(): Promise<void>
  /** Resets (closes) the connections between two endpoints. */
  resetConnections(a: string, b: string): Promise<void>
}

/** Replication control: what an orchestrator and the nemesis do through SQL on real servers. */
export interface ReplicationControl {
  /** Stalls or resumes a replica's SQL thread (like `LOCK TABLES … READ` held on it). */
  stallApplier(node: string, stalled: boolean): Promise<void>
  /** Sets a replica's SQL-thread time per transaction, or back to the configured one (null). */
  slowApplier(node: string, applyTimeUs: number | null): Promise<void>
  /** `KILL` every session waiting for a semi-sync ack on the node; returns their ids. */
  killWaitingSessions(node: string): Promise<number[]>
  stopReplicationIo(node: string): Promise<void>
  /** `START SLAVE` with the node's configured source. */
  startReplication(node: string): Promise<void>
  /**
   * `CHANGE MASTER TO` the given source, then `START SLAVE` (read_only=1). `semiSync` sets
   * `rpl_semi_sync_slave_enabled` first (a demoted old primary rejoins as a semi-sync replica, as MariaDB's recipe does).
   */
  replicateFrom(node: string, source: string, options?: { semiSync?: boolean }): Promise<void>
  /** `SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos` (demoting an old primary). */
  adoptBinlogPosition(node: string): Promise<void>
  /** `RESET SLAVE ALL`, read_only=0, semi-sync master settings on. */
  promote(node: string): Promise<void>
  /**
   * Replaces a running node's data with a copy of `source`'s and starts it again (MySQL's clone plugin, as MySQL's
   * own tooling re-provisions a failed-over primary). Throws on a system that cannot.
   */
  reprovision(node: string, source: string): Promise<void>
}

/** Inspection: what the orchestrator, the status monitor and the final report read. */
export interface Inspection {
  replicaState(node: string): Promise<ReplicaState>
  /** `@@gtid_binlog_pos` sequence number (MySQL: the number of transactions in `@@gtid_executed`). */
  binlogSeq(node: string): Promise<number>
  /**
   * Transactions the node executed that the current primary has not (errant GTIDs), in the server's own notation;
   * '' when there are none.
   */
  errantTransactions(node: string): Promise<string>
  status(node: string): Promise<SemiSyncStatus>
}

/**
 * A system under test: the built-in engine under the simulator, or real servers. Every workload, nemesis and checker
 * goes through this interface, so a scenario reads the same on both. Callers that need one role take that role.
 */
export interface Cluster extends ClientAccess, ProcessFaults, NetworkFaults, ReplicationControl, Inspection {
  /** Stops everything the cluster started. */
  teardown(): Promise<void>
}
