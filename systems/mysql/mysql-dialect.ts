import type { RowDataPacket } from 'mysql2/promise'
import type { SemiSyncStatus } from '../../core/semisync/semi-sync-status.js'
import type { AdminConnection } from '../real-servers/admin-connection.js'
import { sqlLiteral } from '../real-servers/run-credentials.js'
import type { CloneRequest, ReplicationPositions, ServerDialect } from '../real-servers/server-dialect.js'
import { onOff } from '../real-servers/server-options.js'
import { replicaIoState } from '../real-servers/replica-io-state.js'
import { replicationStatements } from '../real-servers/replication-statements.js'
import { statusCounters, type StatusCounters } from '../real-servers/status-counters.js'
import { GtidSet } from './gtid-set.js'
import { mysqlSettings } from './mysql-settings.js'

/** ER_CLONE_SERVER_NO_RESTART… : "Restart server failed (mysqld is not managed by supervisor process)". */
const CLONE_DONE_NO_SUPERVISOR = 3707

/**
 * MySQL 8.0.26+ under its own names: `CHANGE REPLICATION SOURCE TO … SOURCE_AUTO_POSITION=1`, `rpl_semi_sync_source_*`,
 * `super_read_only` on replicas, and positions as GTID sets (numbers for ordering are their sizes). A restart always
 * commits what the binlog holds (no truncating rejoin); a failed-over primary is re-provisioned with the clone plugin.
 */
export function mysqlDialect(): ServerDialect {
  return {
    product: 'MySQL',
    program: 'mysqld',
    optionGroup: 'mysqld',
    settings: mysqlSettings,
    startOptions: () => [],
    replicateFrom: (port, account) => [
      'STOP REPLICA',
      `CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=${port}, SOURCE_USER='${account.user}', ` +
        `SOURCE_PASSWORD=${sqlLiteral(account.password)}, SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, ` +
        'SOURCE_CONNECT_RETRY=1, SOURCE_RETRY_COUNT=86400',
      'START REPLICA',
    ],
    ...replicationStatements('REPLICA'),
    setReplicaSemiSync: (on) => `SET GLOBAL rpl_semi_sync_replica_enabled=${onOff(on)}`,
    demote: () => ['SET GLOBAL rpl_semi_sync_source_enabled=OFF', 'SET GLOBAL super_read_only=ON'],
    promote: (settings) => [
      'STOP REPLICA',
      'RESET REPLICA ALL',
      `SET GLOBAL rpl_semi_sync_source_wait_point=${settings.waitPoint.toUpperCase()}`,
      `SET GLOBAL rpl_semi_sync_source_timeout=${settings.timeoutMs}`,
      `SET GLOBAL rpl_semi_sync_source_wait_no_replica=${onOff(settings.waitNoReplica)}`,
      `SET GLOBAL rpl_semi_sync_source_wait_for_replica_count=${settings.waitForReplicaCount}`,
      `SET GLOBAL rpl_semi_sync_source_enabled=${onOff(settings.sourceEnabled)}`,
      'SET GLOBAL super_read_only=OFF',
      'SET GLOBAL read_only=OFF',
    ],
    // Auto-positioning sends the replica's own gtid_executed: nothing to adopt.
    adoptBinlogPosition: () => [],
    async waitingSessions(admin) {
      const rows = await admin.query<RowDataPacket & { ID: number }>(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for semi-sync ACK%'",
      )
      return rows.map((r) => Number(r.ID))
    },
    positions,
    async binlogSeq(admin) {
      return (await executedSet(admin)).size
    },
    executed: async (admin) => (await executedSet(admin)).toString(),
    async errantTransactions(node, primaryExecuted) {
      return (await executedSet(node)).subtract(GtidSet.parse(primaryExecuted)).toString()
    },
    async status(admin) {
      return mysqlStatus(await statusCounters(admin))
    },
    clone,
  }
}

async function executedSet(admin: AdminConnection): Promise<GtidSet> {
  const [row] = await admin.query<RowDataPacket & { executed: string }>('SELECT @@GLOBAL.gtid_executed AS executed')
  return GtidSet.parse(row?.executed)
}

/**
 * `Executed_Gtid_Set` is what the node applied (its `gtid_executed`); `Retrieved_Gtid_Set` what the IO thread wrote
 * into the relay log. What it received is the union: after a restart the retrieved set may be empty.
 */
async function positions(admin: AdminConnection): Promise<ReplicationPositions> {
  const [status] = await admin.query('SHOW REPLICA STATUS')
  if (!status) {
    const applied = await executedSet(admin)
    const text = applied.toString()
    return {
      sourcePort: null,
      applied: text,
      appliedSeq: applied.size,
      received: text,
      receivedSeq: applied.size,
      io: 'stopped',
      ioError: null,
    }
  }
  const applied = GtidSet.parse(String(status.Executed_Gtid_Set ?? ''))
  const received = applied.union(GtidSet.parse(String(status.Retrieved_Gtid_Set ?? '')))
  return {
    sourcePort: Number(status.Source_Port),
    applied: applied.toString(),
    appliedSeq: applied.size,
    received: received.toString(),
    receivedSeq: received.size,
    ...replicaIoState(status.Replica_IO_Running, status.Last_IO_Errno, status.Last_IO_Error),
  }
}

/** MySQL's `Rpl_semi_sync_source_*` counters under the harness's names; MariaDB-only counters read 0. */
function mysqlStatus({ count: num, onOff: on }: StatusCounters): SemiSyncStatus {
  return {
    Rpl_semi_sync_master_status: on('Rpl_semi_sync_source_status'),
    Rpl_semi_sync_master_clients: num('Rpl_semi_sync_source_clients'),
    Rpl_semi_sync_master_yes_tx: num('Rpl_semi_sync_source_yes_tx'),
    Rpl_semi_sync_master_no_tx: num('Rpl_semi_sync_source_no_tx'),
    Rpl_semi_sync_master_no_times: num('Rpl_semi_sync_source_no_times'),
    Rpl_semi_sync_master_wait_sessions: num('Rpl_semi_sync_source_wait_sessions'),
    Rpl_semi_sync_master_request_ack: 0,
    Rpl_semi_sync_master_get_ack: 0,
    Rpl_semi_sync_slave_status: on('Rpl_semi_sync_replica_status'),
    Rpl_semi_sync_slave_send_ack: 0,
  }
}

/** How long a clone may take: a few seconds for a test cluster's data, unless something holds it (see below). */
const CLONE_TIMEOUT_MS = 90_000
/** How long a clone waits for the donor's commits waiting on semi-sync acks to end before it is refused. */
const WAITING_COMMITS_GRACE_MS = 20_000
const WAITING_COMMITS_POLL_MS = 200

/** The donor's commits still waiting for an ack once they ended or the grace ran out. */
async function waitingCommitsAfterGrace(donor: AdminConnection): Promise<number> {
  const deadline = Date.now() + WAITING_COMMITS_GRACE_MS
  for (;;) {
    const waiting = mysqlStatus(await statusCounters(donor)).Rpl_semi_sync_master_wait_sessions
    if (waiting === 0 || Date.now() >= deadline) return waiting
    await new Promise((resolve) => setTimeout(resolve, WAITING_COMMITS_POLL_MS))
  }
}

/**
 * `CLONE INSTANCE` from the donor (through the replication link). Without a supervisor the recipient cannot restart
 * itself after the clone: it ends the statement with error 3707 and shuts down, which is success here.
 *
 * A clone waits for the donor's prepared transactions to end, and under AFTER_SYNC a commit waiting for a semi-sync ack
 * is one: when the recipient is the only replica that could ack, neither ever finishes (seen on MySQL 9.7: "Waiting
 * for prepared transaction to exit", then the recipient retries for minutes). So the clone starts only once the donor
 * has no commit waiting: another replica may ack them soon (a cut healed, a paused one resumed); if none does within
 * `WAITING_COMMITS_GRACE_MS`, the clone is refused, and the node stays down for a later restart to try again.
 */
async function clone({ recipient, donor, donorName, donorPort, account }: CloneRequest): Promise<void> {
  const waiting = await waitingCommitsAfterGrace(donor)
  if (waiting > 0) {
    throw new Error(
      `${donorName} has ${waiting} commit(s) waiting for a semi-sync ack; a clone waits for them to end, and they ` +
        'may be waiting for this very node: refusing a clone that could never finish',
    )
  }
  await recipient.query(`SET GLOBAL clone_valid_donor_list='127.0.0.1:${donorPort}'`)
  try {
    await recipient.query(
      `CLONE INSTANCE FROM '${account.user}'@'127.0.0.1':${donorPort} IDENTIFIED BY ${sqlLiteral(account.password)}`,
      [],
      CLONE_TIMEOUT_MS,
    )
  } catch (error) {
    const errno = (error as { cause?: { errno?: number } }).cause?.errno
    if (errno !== CLONE_DONE_NO_SUPERVISOR) throw error
  }
}
