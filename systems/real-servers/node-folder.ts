import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { EnvironmentError } from '../../core/errors/environment-error.js'
import { copyDatadir } from './datadir-template.js'
import { initSql, type RunCredentials } from './run-credentials.js'
import { optionValue } from './server-options.js'
import type { ServerUser } from './server-user.js'

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

/** Where one node's files go: `<run>/nodes/<node>/` (data, option and init files, logs), its socket elsewhere. */
export function nodePaths(runDir: string, socketDir: string, name: string): NodePaths {
  const dir = join(runDir, 'nodes', name)
  return {
    datadir: join(dir, 'data'),
    config: join(dir, 'my.cnf'),
    errorLog: join(dir, 'error.log'),
    pidFile: join(dir, 'server.pid'),
    socket: join(socketDir, `${name}.sock`),
    initFile: join(dir, 'init.sql'),
    files: join(dir, 'files'),
    tmp: join(dir, 'tmp'),
  }
}

/**
 * Lays out a node's folder: a copy of the datadir template, the init file holding the run's admin password (0600),
 * the `secure_file_priv` folder; all of it owned by the server's user when that is not us. The option file is written
 * at every start (its port may change).
 */
export function prepareNodeFolder(
  template: string,
  paths: NodePaths,
  credentials: RunCredentials,
  user: ServerUser | null,
): void {
  const dir = dirname(paths.config)
  // Private to the server's user; the folders above stay enterable (mkdir's recursive mode would apply to them too).
  mkdirSync(dirname(dir), { recursive: true })
  mkdirSync(dir, { mode: 0o700 })
  mkdirSync(paths.files, { mode: 0o700 })
  mkdirSync(paths.tmp, { mode: 0o700 })
  copyDatadir(template, paths.datadir)
  writeFileSync(paths.initFile, initSql(credentials), { mode: 0o600 })
  if (user) chownTree(dir, user)
}

/**
 * A local node's option file: where its files go, its port and system user, then its settings. A path is quoted as
 * the server's option parser needs.
 */
export function localOptionFile(
  group: string,
  name: string,
  paths: NodePaths,
  port: number,
  user: ServerUser | null,
  settings: readonly string[],
): string {
  const lines = [
    `[${group}]`,
    `# node ${name}, written by semisync-chaos`,
    `datadir=${optionValue(paths.datadir)}`,
    `socket=${optionValue(paths.socket)}`,
    `pid-file=${optionValue(paths.pidFile)}`,
    `log-error=${optionValue(paths.errorLog)}`,
    `init-file=${optionValue(paths.initFile)}`,
    `secure-file-priv=${optionValue(paths.files)}`,
    `tmpdir=${optionValue(paths.tmp)}`,
    `port=${port}`,
    ...settings,
  ]
  if (user) lines.push(`user=${user.name}`)
  return `${lines.join('\n')}\n`
}

/** The servers' socket folder: private to their user. */
export function prepareSocketFolder(socketDir: string, user: ServerUser | null): void {
  if (user) chownSync(socketDir, user.uid, user.gid)
}

function chownTree(path: string, user: ServerUser): void {
  chownSync(path, user.uid, user.gid)
  if (!lstatSync(path).isDirectory()) return
  for (const entry of readdirSync(path)) chownTree(join(path, entry), user)
}

/**
 * A server running as another user must be able to enter every folder above its node folder. Says which folder
 * stops it, and what to do, instead of letting the server fail to start with a permission error in its log.
 */
export function assertReachable(runDir: string, user: ServerUser | null): void {
  if (!user) return
  for (let dir = runDir; ; dir = dirname(dir)) {
    const stat = statSync(dir)
    const enterable =
      stat.uid === user.uid
        ? (stat.mode & 0o100) !== 0
        : stat.gid === user.gid
          ? (stat.mode & 0o010) !== 0
          : (stat.mode & 0o001) !== 0
    if (!enterable) {
      throw new EnvironmentError(
        `the servers run as ${user.name} (the harness runs as root), who cannot enter ${dir}: ` +
          `choose a --results-dir they can reach (under /tmp, say), or allow it with chmod o+x ${dir}`,
      )
    }
    if (dirname(dir) === dir) return
  }
}

/**
 * A fresh temp folder that a server running as another user can pass through (0711: enter, not list); mkdtemp's
 * own 0700 would lock it out.
 */
export function enterableTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(dir, 0o711)
  return dir
}
