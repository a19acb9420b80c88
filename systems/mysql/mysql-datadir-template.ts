import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { templateDatadir } from '../real-servers/datadir-template.js'
import { INNODB_BUFFER_POOL } from '../real-servers/server-options.js'
import type { MysqlBinaries } from './mysql-binaries.js'

const run = promisify(execFile)

/**
 * A fresh MySQL data directory from `mysqld --initialize-insecure`, made once per server version and cached. The
 * init file run at the end of initialisation locks root@localhost, so the template has no account anyone can log in
 * with; each run's init file adds its own accounts with passwords. Its `auto.cnf` (the server UUID) is dropped.
 */
export function mysqlTemplate(binaries: MysqlBinaries): Promise<string> {
  return templateDatadir({
    product: 'mysql',
    recipe: 'locked-root-v1',
    binary: binaries.mysqld,
    version: binaries.version,
    marker: 'mysql.ibd',
    async build(dir) {
      const scratch = mkdtempSync(join(tmpdir(), 'ssc-mysql-init-'))
      const initFile = join(scratch, 'init.sql')
      writeFileSync(initFile, "ALTER USER 'root'@'localhost' ACCOUNT LOCK;\n")
      try {
        await run(
          binaries.mysqld,
          [
            '--no-defaults',
            '--initialize-insecure',
            `--datadir=${dir}`,
            `--init-file=${initFile}`,
            `--secure-file-priv=${scratch}`,
            '--mysqlx=OFF',
            `--user=${process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root')}`,
            `--${INNODB_BUFFER_POOL}`,
            '--loose-innodb-redo-log-capacity=8M',
          ],
          { timeout: 300_000 },
        )
      } catch (error) {
        const detail = (error as { stderr?: string }).stderr ?? (error as Error).message
        throw new Error(`mysqld --initialize-insecure failed: ${detail.trim().split('\n').slice(-3).join(' | ')}`)
      } finally {
        rmSync(scratch, { recursive: true, force: true })
      }
      // Every node is a copy: each must make its own server_uuid at its first start, or replicas refuse their source.
      rmSync(join(dir, 'auto.cnf'), { force: true })
    },
  })
}
