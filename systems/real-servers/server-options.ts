import type { WaitPoint } from '../../core/semisync/semi-sync-settings.js'

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
 * The option lines every node has on either server: its files, loopback only, durability as the harness needs it
 * (binlog and redo fsynced at commit), row-based GTID replication that never starts by itself, read-only until
 * promoted. Each server adds its own names for the rest.
 */
export function commonOptionLines(options: ServerOptions): string[] {
  const { paths } = options
  const lines = [
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
    'sync-binlog=1',
    'innodb-flush-log-at-trx-commit=1',
    `sync-relay-log=${options.syncRelayLog}`,
    'read-only=ON',
    'performance-schema=OFF',
    'max-connections=500',
    INNODB_BUFFER_POOL,
  ]
  if (options.user !== undefined) lines.push(`user=${options.user}`)
  return lines
}

export const onOff = (on: boolean): 'ON' | 'OFF' => (on ? 'ON' : 'OFF')
