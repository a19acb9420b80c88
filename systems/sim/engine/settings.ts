import type { Flavor, SemiSyncMasterSettings } from '../../../core/semisync/semi-sync-settings.js'

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
