import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { EnvironmentError } from '../../core/errors/environment-error.js'
import { cacheDir } from '../real-servers/cache-dir.js'
import { isExecutable, programsOnPath } from '../real-servers/find-program.js'

/** The MySQL server a cluster runs, and the version it reports. */
export interface MysqlBinaries {
  /** mysqld, or the wrapper setup/install-mysql.sh writes (it runs mysqld through its own loader). */
  mysqld: string
  version: string
}

const HOW_TO_GET_IT =
  'Fetch Oracle MySQL with `bash setup/install-mysql.sh` (Debian sid packages unpacked into a cache folder), or ' +
  'point --mysqld at a MySQL 8.0/8.4/9.x mysqld'

/** No usable Oracle MySQL mysqld: the message says how to get one. */
export class MissingMysqlError extends EnvironmentError {
  constructor(readonly what: string) {
    super(`${what}. ${HOW_TO_GET_IT}`)
    this.name = 'MissingMysqlError'
  }
}

/** Where setup/install-mysql.sh leaves its wrapper: the cache folder it chose (root's is readable by the servers). */
export function installedMysqlWrappers(): string[] {
  return [join(cacheDir(), 'mysql', 'bin', 'mysqld'), '/var/cache/semisync-chaos/mysql/bin/mysqld']
}

function versionOf(mysqld: string): string {
  return execFileSync(mysqld, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 })
    .toString()
    .trim()
}

/**
 * Locates Oracle MySQL's mysqld: `--mysqld` if given, else a mysqld on PATH that is not MariaDB's (Debian's
 * mariadb-server installs `/usr/sbin/mysqld` as a link to mariadbd), else the one setup/install-mysql.sh fetched
 * (`wrappers`: where it may have left it).
 */
export function findMysql(explicit?: string, wrappers: readonly string[] = installedMysqlWrappers()): MysqlBinaries {
  if (explicit !== undefined) {
    if (!isExecutable(explicit)) throw new MissingMysqlError(`mysqld at ${explicit} not found`)
    let version: string
    try {
      version = versionOf(explicit)
    } catch (error) {
      throw new MissingMysqlError(`${explicit} --version failed (${(error as Error).message.split('\n')[0]})`)
    }
    if (/mariadb/i.test(version)) throw new MissingMysqlError(`${explicit} is MariaDB (${version}), not Oracle MySQL`)
    return { mysqld: explicit, version }
  }
  const skipped: string[] = []
  for (const candidate of [...programsOnPath('mysqld'), ...wrappers.filter(isExecutable)]) {
    try {
      const version = versionOf(candidate)
      if (!/mariadb/i.test(version)) return { mysqld: candidate, version }
      skipped.push(`${candidate} is MariaDB`)
    } catch (error) {
      skipped.push(`${candidate} --version failed (${(error as Error).message.split('\n')[0]})`)
    }
  }
  throw new MissingMysqlError(`no Oracle MySQL mysqld found${skipped.length > 0 ? ` (${skipped.join('; ')})` : ''}`)
}
