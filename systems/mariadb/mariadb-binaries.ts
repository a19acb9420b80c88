import { execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { EnvironmentError } from '../../core/errors/environment-error.js'

/** The server binaries a MariaDB cluster needs, and the version they report. */
export interface MariadbBinaries {
  mariadbd: string
  installDb: string
  version: string
}

/** mariadbd (or its tools) is not installed: the message says how to get it. */
export class MissingMariadbError extends EnvironmentError {
  constructor(readonly what: string) {
    super(
      `${what} not found. Install Debian's MariaDB server (as root: apt-get install -y mariadb-server), ` +
        `or point --mariadbd at a mariadbd binary`,
    )
    this.name = 'MissingMariadbError'
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Finds `name` on PATH, then in the sbin folders Debian uses (not always on a non-root PATH). */
function which(name: string): string | null {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/sbin',
    '/usr/local/sbin',
    '/usr/bin',
    '/usr/local/bin',
  ]
  for (const dir of dirs) {
    if (dir && executable(join(dir, name))) return join(dir, name)
  }
  return null
}

/** Locates mariadbd (`--mariadbd` wins over PATH) and mariadb-install-db beside it or on PATH. */
export function findMariadb(explicit?: string): MariadbBinaries {
  const mariadbd = explicit ?? which('mariadbd')
  if (!mariadbd || !executable(mariadbd))
    throw new MissingMariadbError(explicit ? `mariadbd at ${explicit}` : 'mariadbd')
  const besides = [
    join(dirname(mariadbd), 'mariadb-install-db'),
    join(dirname(dirname(mariadbd)), 'bin', 'mariadb-install-db'),
  ]
  const installDb = besides.find(executable) ?? which('mariadb-install-db')
  if (!installDb) throw new MissingMariadbError('mariadb-install-db')
  let version: string
  try {
    version = execFileSync(mariadbd, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim()
  } catch (error) {
    throw new MissingMariadbError(`a working mariadbd (${mariadbd} --version failed: ${(error as Error).message})`)
  }
  return { mariadbd, installDb, version }
}
