/** Which server the engine imitates where MariaDB and MySQL differ (see the reference's MariaDB-vs-MySQL table). */
export type Flavor = 'mariadb' | 'mysql'

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

/** The defaults each server ships with. */
export function flavorDefaults(flavor: Flavor): SemiSyncMasterSettings {
  return {
    enabled: false,
    waitPoint: flavor === 'mariadb' ? 'after_commit' : 'after_sync',
    timeoutMs: 10_000,
    waitNoSlave: true,
    waitForSlaveCount: 1,
  }
}

/** A server's configuration as the engine models it. */
export interface NodeSettings {
  name: string
  serverId: number
  flavor: Flavor
  master: SemiSyncMasterSettings
  /** `rpl_semi_sync_slave_enabled`: acks events when replicating (read at IO-thread start). */
  semiSyncReplica: boolean
  /** `sync_relay_log`: fsync the relay log every N events (0 = never, leave it to the OS). */
  syncRelayLog: number
  /** Time the replica's SQL thread takes to apply one transaction, in nanoseconds. */
  applyTimeNs: number
  /** `master_connect_retry`, in nanoseconds. */
  connectRetryNs: number
  /** `innodb_lock_wait_timeout`, in nanoseconds. */
  lockWaitTimeoutNs: number
}
