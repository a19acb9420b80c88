import { commonSettingLines, onOff, type ServerSettings } from '../real-servers/server-options.js'

/** A small redo log: a test cluster needs no 96 MB of it. */
export const MARIADB_REDO_LOG = 'innodb-log-file-size=8M'

/**
 * A node's MariaDB settings: the common lines, GTID replication in strict mode with `log_slave_updates` so any
 * replica can be promoted, and the semi-sync settings always explicit (MariaDB's own default wait point is
 * AFTER_COMMIT). Replication never starts by itself: the harness starts it.
 */
export function mariadbSettings(settings: ServerSettings): string[] {
  const { semiSync } = settings
  return [
    ...commonSettingLines(settings),
    'binlog-format=ROW',
    'gtid-strict-mode=ON',
    'log-slave-updates=ON',
    'skip-slave-start',
    'slave-net-timeout=5',
    `rpl-semi-sync-master-enabled=${onOff(semiSync.sourceEnabled)}`,
    `rpl-semi-sync-slave-enabled=${onOff(semiSync.replicaEnabled)}`,
    `rpl-semi-sync-master-wait-point=${semiSync.waitPoint.toUpperCase()}`,
    `rpl-semi-sync-master-timeout=${semiSync.timeoutMs}`,
    `rpl-semi-sync-master-wait-no-slave=${onOff(semiSync.waitNoReplica)}`,
    MARIADB_REDO_LOG,
  ]
}
