import type { RowDataPacket } from 'mysql2/promise'
import type { SemiSyncStatus } from '../../core/semisync/semi-sync-status.js'
import type { AdminConnection } from '../real-servers/admin-connection.js'
import { sqlLiteral } from '../real-servers/run-credentials.js'
import type { ReplicationPositions, ServerDialect } from '../real-servers/server-dialect.js'
import { onOff } from '../real-servers/server-options.js'
import { replicaIoState } from '../real-servers/replica-io-state.js'
import { replicationStatements } from '../real-servers/replication-statements.js'
import { statusCounters, type StatusCounters } from '../real-servers/status-counters.js'
import { domainZeroGtid, domainZeroSeq } from './gtid-position.js'
import { mariadbSettings } from './mariadb-settings.js'

/**
 * MariaDB 10.11 under its own names: `CHANGE MASTER TO … MASTER_USE_GTID=slave_pos`, `rpl_semi_sync_master_*`,
 * positions as domain-0 GTIDs (the harness uses one replication domain), and `--init-rpl-role=SLAVE` for a rejoin that
 * truncates.
 */
export function mariadbDialect(): ServerDialect {
  return {
    product: 'MariaDB',
    program: 'mariadbd',
    optionGroup: 'mariadbd',
    settings: mariadbSettings,
    startOptions: (asReplica) => (asReplica ? ['init-rpl-role=SLAVE'] : []),
    replicateFrom: (port, account) => [
      'STOP SLAVE',
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${port}, MASTER_USER='${account.user}', ` +
        `MASTER_PASSWORD=${sqlLiteral(account.password)}, MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1`,
      'START SLAVE',
    ],
    ...replicationStatements('SLAVE'),
    setReplicaSemiSync: (on) => `SET GLOBAL rpl_semi_sync_slave_enabled=${onOff(on)}`,
    demote: () => ['SET GLOBAL rpl_semi_sync_master_enabled=OFF', 'SET GLOBAL read_only=1'],
    promote: (settings) => [
      'STOP SLAVE',
      'RESET SLAVE ALL',
      `SET GLOBAL rpl_semi_sync_master_wait_point=${settings.waitPoint.toUpperCase()}`,
      `SET GLOBAL rpl_semi_sync_master_timeout=${settings.timeoutMs}`,
      `SET GLOBAL rpl_semi_sync_master_wait_no_slave=${onOff(settings.waitNoReplica)}`,
      `SET GLOBAL rpl_semi_sync_master_enabled=${onOff(settings.sourceEnabled)}`,
      'SET GLOBAL read_only=0',
    ],
    adoptBinlogPosition: () => ['SET GLOBAL gtid_slave_pos=@@gtid_binlog_pos'],
    async waitingSessions(admin) {
      const rows = await admin.query<RowDataPacket & { ID: number }>(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for semi-sync ACK%'",
      )
      return rows.map((r) => Number(r.ID))
    },
    positions,
    async binlogSeq(admin) {
      return domainZeroSeq(await binlogPos(admin))
    },
    executed: binlogPos,
    /**
     * MariaDB keeps one position per domain, not a set: a node whose domain-0 GTID is past the primary's, or at the
     * same sequence number from another server, holds a transaction the primary does not.
     */
    async errantTransactions(node, primaryExecuted) {
      const mine = domainZeroGtid(await binlogPos(node))
      const theirs = domainZeroGtid(primaryExecuted)
      if (mine === '' || mine === theirs) return ''
      return domainZeroSeq(mine) >= domainZeroSeq(theirs) ? mine : ''
    },
    async status(admin) {
      return mariadbStatus(await statusCounters(admin))
    },
    clone: null,
  }
}

async function binlogPos(admin: AdminConnection): Promise<string> {
  const [row] = await admin.query<RowDataPacket & { pos: string }>('SELECT @@gtid_binlog_pos AS pos')
  return row?.pos ?? ''
}

/** `gtid_slave_pos` is what the applier applied; `Gtid_IO_Pos` what the IO thread received into the relay log. */
async function positions(admin: AdminConnection): Promise<ReplicationPositions> {
  const [vars] = await admin.query<RowDataPacket & { slavePos: string }>('SELECT @@gtid_slave_pos AS slavePos')
  const applied = domainZeroGtid(vars?.slavePos)
  const appliedSeq = domainZeroSeq(applied)
  const [status] = await admin.query('SHOW SLAVE STATUS')
  if (!status) {
    return {
      sourcePort: null,
      applied,
      appliedSeq,
      received: applied,
      receivedSeq: appliedSeq,
      io: 'stopped',
      ioError: null,
    }
  }
  const ioPos = domainZeroGtid(String(status.Gtid_IO_Pos ?? ''))
  const receivedSeq = Math.max(domainZeroSeq(ioPos), appliedSeq)
  return {
    sourcePort: Number(status.Master_Port),
    applied,
    appliedSeq,
    received: receivedSeq > appliedSeq ? ioPos : applied,
    receivedSeq,
    ...replicaIoState(status.Slave_IO_Running, status.Last_IO_Errno, status.Last_IO_Error),
  }
}

function mariadbStatus({ count: num, onOff: on }: StatusCounters): SemiSyncStatus {
  return {
    Rpl_semi_sync_master_status: on('Rpl_semi_sync_master_status'),
    Rpl_semi_sync_master_clients: num('Rpl_semi_sync_master_clients'),
    Rpl_semi_sync_master_yes_tx: num('Rpl_semi_sync_master_yes_tx'),
    Rpl_semi_sync_master_no_tx: num('Rpl_semi_sync_master_no_tx'),
    Rpl_semi_sync_master_no_times: num('Rpl_semi_sync_master_no_times'),
    Rpl_semi_sync_master_wait_sessions: num('Rpl_semi_sync_master_wait_sessions'),
    Rpl_semi_sync_master_request_ack: num('Rpl_semi_sync_master_request_ack'),
    Rpl_semi_sync_master_get_ack: num('Rpl_semi_sync_master_get_ack'),
    Rpl_semi_sync_slave_status: on('Rpl_semi_sync_slave_status'),
    Rpl_semi_sync_slave_send_ack: num('Rpl_semi_sync_slave_send_ack'),
  }
}
