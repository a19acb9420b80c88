import type { WaitPoint } from '../../core/semisync/semi-sync-settings.js'

/** A node's semi-sync settings, whatever the server calls them (master/slave or source/replica). */
export interface SemiSyncOptions {
  sourceEnabled: boolean
  replicaEnabled: boolean
  waitPoint: WaitPoint
  timeoutMs: number
  waitNoReplica: boolean
  /** Acks a commit waits for (MySQL's `wait_for_replica_count`; MariaDB always waits for one). */
  waitForReplicaCount: number
}

/** What a node's server is set to, wherever it runs: the same lines go into a local option file or a container's command. */
export interface ServerSettings {
  name: string
  serverId: number
  semiSync: SemiSyncOptions
  syncRelayLog: number
}

/** Small InnoDB buffers: a test cluster needs no big buffer pool. */
export const INNODB_BUFFER_POOL = 'innodb-buffer-pool-size=32M'

/**
 * A path as an option-file value. The server reads `#` as a comment and ends a value at the line's end, so a path
 * with spaces, `#`, quotes or backslashes is double-quoted with backslash escapes, and a control character (a newline
 * would start a new option line) is refused.
 */
export function optionValue(path: string): string {
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    throw new Error(`cannot put ${JSON.stringify(path)} in an option file: it holds a control character`)
  }
  if (!/[\s#"'\\;]/.test(path)) return path
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/**
 * The setting lines every node has on either server, wherever it runs: loopback only, durability as the harness needs
 * it (binlog and redo fsynced at commit), row-based GTID replication that never starts by itself, read-only until
 * promoted. Each server adds its own names for the rest; where files go and the port are the hosting's.
 */
export function commonSettingLines(settings: ServerSettings): string[] {
  return [
    'bind-address=127.0.0.1',
    'skip-name-resolve',
    `server-id=${settings.serverId}`,
    `log-bin=${settings.name}-bin`,
    `relay-log=${settings.name}-relay-bin`,
    'sync-binlog=1',
    'innodb-flush-log-at-trx-commit=1',
    `sync-relay-log=${settings.syncRelayLog}`,
    'read-only=ON',
    'performance-schema=OFF',
    'max-connections=500',
    INNODB_BUFFER_POOL,
  ]
}

export const onOff = (on: boolean): 'ON' | 'OFF' => (on ? 'ON' : 'OFF')
