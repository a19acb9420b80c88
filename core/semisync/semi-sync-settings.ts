/** Which server a system runs or imitates where MariaDB and MySQL differ (docs/reference/semisync.md). */
export type Flavor = 'mariadb' | 'mysql'

/** When the primary waits for a replica's ack: after the binlog sync, or after the engine commit. */
export type WaitPoint = 'after_sync' | 'after_commit'

/** The `rpl_semi_sync_master_*` settings of a server (MySQL 8.0.26+: `rpl_semi_sync_source_*`). */
export interface SemiSyncMasterSettings {
  enabled: boolean
  waitPoint: WaitPoint
  /** `rpl_semi_sync_master_timeout` in milliseconds. */
  timeoutMs: number
  /** `rpl_semi_sync_master_wait_no_slave`. */
  waitNoSlave: boolean
  /** `rpl_semi_sync_master_wait_for_slave_count` (MySQL only; MariaDB 10.11 has no such variable: always 1). */
  waitForSlaveCount: number
}
