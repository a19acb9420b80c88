import { serverSystem } from '../real-servers/server-system.js'
import { findMysql } from './mysql-binaries.js'
import { mysqlDialect } from './mysql-dialect.js'

/** Real Oracle MySQL servers as local processes on 127.0.0.1 (setup/install-mysql.sh's, or `--mysqld`). */
export const mysqlSystem = serverSystem('mysql', (binary) => {
  const binaries = findMysql(binary ?? undefined)
  return { version: binaries.version, dialect: () => mysqlDialect(binaries) }
})
