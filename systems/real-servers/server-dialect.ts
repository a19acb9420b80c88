import type { SemiSyncStatus } from '../../core/semisync/semi-sync-status.js'
import type { AdminConnection } from './admin-connection.js'
import type { Account } from './run-credentials.js'
import type { SemiSyncOptions, ServerSettings } from './server-options.js'

/** Where a node's replication stands, in its server's own position format. */
export interface ReplicationPositions {
  /** The port the node replicates from (its source's, or the proxy's in front of it); null when it has no source. */
  sourcePort: number | null
  /** What it received into its relay log, or applied, whichever is further: a GTID or a GTID set. */
  received: string
  /** A number that orders `received` along the one history of the cluster's primaries (see {@link ServerDialect}). */
  receivedSeq: number
  applied: string
  appliedSeq: number
  io: 'running' | 'connecting' | 'error' | 'stopped'
  ioError: string | null
}

/**
 * What differs between MariaDB and MySQL behind one {@link ServerCluster}: the option file, the SQL names of
 * replication and semi-sync, and how positions read. Positions become numbers so that every system's failover compares
 * them the same way: MariaDB's domain-0 sequence number, MySQL's count of transactions in a GTID set (sets on one
 * chain of primaries are nested, so the count orders them; transactions off that chain are reported as errant).
 */
export interface ServerDialect {
  /** `MariaDB`, `MySQL`: for messages. */
  readonly product: string
  /** The server program's name, as messages and command lines show it (`mariadbd`, `mysqld`). */
  readonly program: string
  /** The option-file group the server reads (`mariadbd`, `mysqld`). */
  readonly optionGroup: string
  /** The node's settings as option lines (`name=value`): a local option file's, or a container's command's. */
  settings(settings: ServerSettings): string[]
  /**
   * Option lines for one (re)start. `asReplica`: a failed-over old primary restarting to rejoin (MariaDB's
   * `init-rpl-role=SLAVE` truncates what it binlogged but never committed; MySQL has no such start, and config
   * validation refuses `--rejoin truncate` for it).
   */
  startOptions(asReplica: boolean): string[]
  /** Statements that point a replica at a source (by port on 127.0.0.1) with GTID positioning and start it. */
  replicateFrom(port: number, account: Account): string[]
  readonly startReplication: string
  readonly stopIo: string
  readonly startIo: string
  readonly stopApplier: string
  readonly startApplier: string
  setReplicaSemiSync(on: boolean): string
  /** Statements that turn a node into a read-only replica-to-be (its source side of semi-sync off). */
  demote(): string[]
  /** Statements that make a node the primary: replication forgotten, semi-sync source settings, writable. */
  promote(settings: SemiSyncOptions): string[]
  /** Statements that make a demoted old primary ask its new source for what follows its own binlog. */
  adoptBinlogPosition(): string[]
  /** Ids of the sessions waiting for a semi-sync ack. */
  waitingSessions(admin: AdminConnection): Promise<number[]>
  positions(admin: AdminConnection): Promise<ReplicationPositions>
  /** The position of the node's own binlog, as a number comparable with {@link ReplicationPositions}. */
  binlogSeq(admin: AdminConnection): Promise<number>
  /** The node's executed transactions, as text its peers' {@link errantTransactions} can take. */
  executed(admin: AdminConnection): Promise<string>
  /** What `node` executed that `primaryExecuted` lacks ('' when nothing). */
  errantTransactions(node: AdminConnection, primaryExecuted: string): Promise<string>
  status(admin: AdminConnection): Promise<SemiSyncStatus>
  /**
   * Re-provisions a node from a donor (MySQL's clone plugin), or null when the server has no such thing. The node's
   * server shuts itself down afterwards; the cluster starts it again.
   */
  readonly clone: ((clone: CloneRequest) => Promise<void>) | null
}

/** What a clone needs: both nodes' admin sessions, the port the recipient reaches the donor on, the account to use. */
export interface CloneRequest {
  recipient: AdminConnection
  donor: AdminConnection
  donorName: string
  donorPort: number
  account: Account
}
