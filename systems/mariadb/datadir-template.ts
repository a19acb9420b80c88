import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { MariadbBinaries } from './mariadb-binaries.js'

const run = promisify(execFile)

/** Small InnoDB files: a test cluster needs neither the default 96 MB redo log nor a big buffer pool. */
export const INNODB_SIZING = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'] as const

/** Where slow-to-build things are kept between runs: `$SEMISYNC_CHAOS_CACHE`, else `~/.cache/semisync-chaos`. */
export function cacheDir(): string {
  return (
    process.env.SEMISYNC_CHAOS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'semisync-chaos')
  )
}

/**
 * A fresh data directory from `mariadb-install-db`, made once per server version and copied for every node (about a
 * second saved per node per run), kept in the cache folder so that runs with their own temp folders share it.
 * Its only root account is root@localhost through the unix socket; each run adds its own accounts with passwords.
 */
/** Changes when the way the template is made changes, so a cached template of the old recipe is not reused. */
const TEMPLATE_RECIPE = 'socket-root-v2'

export async function templateDatadir(binaries: MariadbBinaries): Promise<string> {
  const key = createHash('sha256')
    .update(`${TEMPLATE_RECIPE}\n${binaries.mariadbd}\n${binaries.version}`)
    .digest('hex')
    .slice(0, 12)
  const dir = join(cacheDir(), `mariadb-datadir-${key}`)
  mkdirSync(cacheDir(), { recursive: true })
  if (existsSync(join(dir, 'mysql'))) return dir
  const building = `${dir}.${process.pid}.tmp`
  rmSync(building, { recursive: true, force: true })
  mkdirSync(building, { recursive: true })
  try {
    await run(binaries.installDb, [
      '--no-defaults',
      `--datadir=${building}`,
      // root@localhost through the unix socket only: no account in the template is reachable over TCP.
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
      `--user=${process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root')}`,
      ...INNODB_SIZING,
    ])
  } catch (error) {
    rmSync(building, { recursive: true, force: true })
    const detail = (error as { stderr?: string }).stderr ?? (error as Error).message
    throw new Error(`mariadb-install-db failed: ${detail.trim().split('\n').slice(-3).join(' | ')}`)
  }
  // Another run may have built it meanwhile; either copy is good.
  if (existsSync(join(dir, 'mysql'))) rmSync(building, { recursive: true, force: true })
  else renameSync(building, dir)
  return dir
}

export function copyDatadir(template: string, target: string): void {
  mkdirSync(target, { recursive: true })
  cpSync(template, target, { recursive: true })
}
