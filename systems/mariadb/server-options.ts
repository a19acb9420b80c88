import type { WaitPoint } from '../../core/semisync/semi-sync-settings.js'
import { INNODB_SIZING } from './datadir-template.js'

/** Where a node's files go and how it is reached. */
export interface NodePaths {
  datadir: string
  config: string
  errorLog: string
  pidFile: string
  socket: string
  /** SQL the server runs at every start, before it accepts connections (the run's admin account). */
  initFile: string
  /** The one folder `SELECT … INTO OUTFILE` and `LOAD DATA` may touch (`secure_file_priv`). */
  files: string
  /** The server's own temp folder (`tmpdir`; otherwise $TMPDIR, which its user may not be able to write). */
  tmp: string
}

export interface SemiSyncOptions {
  masterEnabled: boolean
  slaveEnabled: boolean
  waitPoint: WaitPoint
  timeoutMs: number
  waitNoSlave: boolean
}

export interface ServerOptions {
  name: string
  serverId: number
  port: number
  paths: NodePaths
  semiSync: SemiSyncOptions
  syncRelayLog: number
  /** The system account to run as (`user=`), when the harness is root; absent, the harness's own user. */
  user?: string
}

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
 * The node's option file. Durability as the harness needs it (binlog and redo fsynced at commit), GTID replication
 * with `log_slave_updates` so any replica can be promoted, loopback only, and the semi-sync settings always explicit
 * (MariaDB's own default wait point is AFTER_COMMIT). Replication never starts by itself: the harness starts it.
 */
export function optionFile(options: ServerOptions): string {
  const { paths, semiSync } = options
  const onOff = (b: boolean): string => (b ? 'ON' : 'OFF')
  const lines = [
    '[mariadbd]',
    `# node ${options.name}, written by semisync-chaos`,
    `datadir=${optionValue(paths.datadir)}`,
    `socket=${optionValue(paths.socket)}`,
    `pid-file=${optionValue(paths.pidFile)}`,
    `log-error=${optionValue(paths.errorLog)}`,
    `init-file=${optionValue(paths.initFile)}`,
    `secure-file-priv=${optionValue(paths.files)}`,
    `tmpdir=${optionValue(paths.tmp)}`,
    'bind-address=127.0.0.1',
    `port=${options.port}`,
    'skip-name-resolve',
    `server-id=${options.serverId}`,
    `log-bin=${options.name}-bin`,
    `relay-log=${options.name}-relay-bin`,
    'binlog-format=ROW',
    'gtid-strict-mode=ON',
    'log-slave-updates=ON',
    'sync-binlog=1',
    'innodb-flush-log-at-trx-commit=1',
    `sync-relay-log=${options.syncRelayLog}`,
    'skip-slave-start',
    'slave-net-timeout=5',
    'read-only=ON',
    `rpl-semi-sync-master-enabled=${onOff(semiSync.masterEnabled)}`,
    `rpl-semi-sync-slave-enabled=${onOff(semiSync.slaveEnabled)}`,
    `rpl-semi-sync-master-wait-point=${semiSync.waitPoint.toUpperCase()}`,
    `rpl-semi-sync-master-timeout=${semiSync.timeoutMs}`,
    `rpl-semi-sync-master-wait-no-slave=${onOff(semiSync.waitNoSlave)}`,
    'performance-schema=OFF',
    'max-connections=500',
    ...INNODB_SIZING.map((flag) => flag.replace(/^--/, '')),
  ]
  if (options.user !== undefined) lines.push(`user=${options.user}`)
  return `${lines.join('\n')}\n`
}
