import { commonSettingLines, onOff, type ServerSettings } from '../real-servers/server-options.js'

/** Plugins every node loads: both sides of semi-sync (a replica may be promoted) and clone (re-provisioning). */
export const MYSQL_PLUGINS = ['semisync_source.so', 'semisync_replica.so', 'mysql_clone.so'] as const

/**
 * A node's MySQL settings: the common lines, GTID mode with `enforce_gtid_consistency` (auto-positioning needs both),
 * `log_replica_updates` so any replica can be promoted, the semi-sync plugins with every setting explicit, no X
 * Protocol listener. `loose-` options are skipped by servers that lack them (the redo log size is 8.0.30+). A long
 * retry count keeps a replica's IO thread trying through a long partition (MySQL gives up after 10 tries by default).
 */
export function mysqlSettings(settings: ServerSettings): string[] {
  const { semiSync } = settings
  return [
    ...commonSettingLines(settings),
    'gtid-mode=ON',
    'enforce-gtid-consistency=ON',
    'log-replica-updates=ON',
    'skip-replica-start',
    'replica-net-timeout=5',
    'mysqlx=OFF',
    'log-error-verbosity=3',
    'loose-innodb-redo-log-capacity=8M',
    ...MYSQL_PLUGINS.map((plugin) => `plugin-load-add=${plugin}`),
    `rpl-semi-sync-source-enabled=${onOff(semiSync.sourceEnabled)}`,
    `rpl-semi-sync-replica-enabled=${onOff(semiSync.replicaEnabled)}`,
    `rpl-semi-sync-source-wait-point=${semiSync.waitPoint.toUpperCase()}`,
    `rpl-semi-sync-source-timeout=${semiSync.timeoutMs}`,
    `rpl-semi-sync-source-wait-no-replica=${onOff(semiSync.waitNoReplica)}`,
    `rpl-semi-sync-source-wait-for-replica-count=${semiSync.waitForReplicaCount}`,
  ]
}
