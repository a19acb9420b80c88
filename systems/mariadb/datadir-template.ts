import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { templateDatadir } from '../real-servers/datadir-template.js'
import { INNODB_BUFFER_POOL } from '../real-servers/server-options.js'
import type { MariadbBinaries } from './mariadb-binaries.js'
import { MARIADB_REDO_LOG } from './mariadb-settings.js'

const run = promisify(execFile)

/**
 * A fresh MariaDB data directory from `mariadb-install-db`, made once per server version and cached. Its only root
 * account is root@localhost through the unix socket: no account in the template is reachable over TCP.
 */
export function mariadbTemplate(binaries: MariadbBinaries): Promise<string> {
  return templateDatadir({
    product: 'mariadb',
    recipe: 'socket-root-v2',
    binary: binaries.mariadbd,
    version: binaries.version,
    marker: 'mysql',
    async build(dir) {
      try {
        await run(binaries.installDb, [
          '--no-defaults',
          `--datadir=${dir}`,
          '--auth-root-authentication-method=socket',
          '--skip-test-db',
          `--user=${process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root')}`,
          `--${MARIADB_REDO_LOG}`,
          `--${INNODB_BUFFER_POOL}`,
        ])
      } catch (error) {
        const detail = (error as { stderr?: string }).stderr ?? (error as Error).message
        throw new Error(`mariadb-install-db failed: ${detail.trim().split('\n').slice(-3).join(' | ')}`)
      }
    },
  })
}
