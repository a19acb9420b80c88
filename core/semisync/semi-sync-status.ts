/** The semi-sync status counters of one server, under the servers' own names (SHOW GLOBAL STATUS). */
export interface SemiSyncStatus {
  Rpl_semi_sync_master_status: 'ON' | 'OFF'
  Rpl_semi_sync_master_clients: number
  Rpl_semi_sync_master_yes_tx: number
  Rpl_semi_sync_master_no_tx: number
  Rpl_semi_sync_master_no_times: number
  Rpl_semi_sync_master_wait_sessions: number
  /** MariaDB only: transactions inserted into the wait list while ON. */
  Rpl_semi_sync_master_request_ack: number
  /** MariaDB only: ack packets received. */
  Rpl_semi_sync_master_get_ack: number
  Rpl_semi_sync_slave_status: 'ON' | 'OFF'
  /** MariaDB only: acks sent since the IO thread started. */
  Rpl_semi_sync_slave_send_ack: number
}
