import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { EnvironmentError } from '../../core/errors/environment-error.js'
import { isExecutable as executable, programsOnPath } from '../real-servers/find-program.js'

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

/** Locates mariadbd (`--mariadbd` wins over PATH) and mariadb-install-db beside it or on PATH. */
export function findMariadb(explicit?: string): MariadbBinaries {
  const mariadbd = explicit ?? programsOnPath('mariadbd')[0] ?? null
  if (!mariadbd || !executable(mariadbd))
    throw new MissingMariadbError(explicit ? `mariadbd at ${explicit}` : 'mariadbd')
  const besides = [
    join(dirname(mariadbd), 'mariadb-install-db'),
    join(dirname(dirname(mariadbd)), 'bin', 'mariadb-install-db'),
  ]
  const installDb = besides.find(executable) ?? programsOnPath('mariadb-install-db')[0] ?? null
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
